import { describe, expect, it } from "vitest";
import { ParseError } from "../../shared/errors/source-errors.ts";
import { parseFeed } from "../../shared/parse/parse-feed.ts";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>  Example   News </title>
    <link>https://news.example.com/</link>
    <item>
      <title>  First &amp; foremost
        story </title>
      <link> https://news.example.com/a/1 </link>
      <guid isPermaLink="false">urn:example:1</guid>
      <pubDate>Mon, 20 Apr 2026 09:37:00 +0200</pubDate>
      <description><![CDATA[<p>Short teaser.</p>]]></description>
      <content:encoded><![CDATA[<p>Full text, first paragraph.</p><p>Second paragraph.</p><script>track()</script>]]></content:encoded>
      <dc:creator>Jane Doe</dc:creator>
      <category>World</category>
      <category>Politics</category>
      <category>World</category>
    </item>
    <item>
      <title>Undated</title>
      <link>https://news.example.com/a/2</link>
      <description>No date here.</description>
    </item>
    <item>
      <title>Only a permalink guid</title>
      <guid>https://news.example.com/a/3</guid>
      <pubDate>not a date</pubDate>
    </item>
  </channel>
</rss>`;

describe("parseFeed", () => {
  describe("RSS 2.0", () => {
    it("reads channel title and item fields", async () => {
      const feed = await parseFeed(bytes(RSS2));
      expect(feed.format).toBe("rss2");
      expect(feed.title).toBe("Example   News");
      expect(feed.entries).toHaveLength(3);
      const [first] = feed.entries;
      expect(first).toEqual({
        title: "First & foremost story",
        link: "https://news.example.com/a/1",
        id: "urn:example:1",
        published: "2026-04-20T07:37:00.000Z",
        dateSource: "feed",
        content: "Full text, first paragraph. Second paragraph.",
        summary: "Short teaser.",
        author: "Jane Doe",
        categories: ["World", "Politics"],
      });
    });

    it("leaves an undated item undated instead of inventing a date", async () => {
      const feed = await parseFeed(bytes(RSS2));
      expect(feed.entries[1]).toMatchObject({
        published: null,
        dateSource: "none",
        content: "No date here.",
      });
      expect(feed.entries[2]).toMatchObject({ published: null, dateSource: "none" });
    });

    it("uses a permalink guid as the link, but not one marked isPermaLink=false", async () => {
      const feed = await parseFeed(bytes(RSS2));
      expect(feed.entries[2]?.link).toBe("https://news.example.com/a/3");
      const noLink = await parseFeed(
        '<rss version="2.0"><channel><item><guid isPermaLink="false">https://x.example/1</guid></item></channel></rss>',
      );
      expect(noLink.entries[0]).toMatchObject({ link: null, id: "https://x.example/1" });
    });

    it("reads dc:date when pubDate is missing, and falls back to it when pubDate is garbage", async () => {
      const feed = await parseFeed(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
        <item><title>a</title><dc:date>2003-12-31T10:14:55Z</dc:date></item>
        <item><title>b</title><pubDate>1518478934</pubDate><dc:date>2018-02-12T23:42:14+01:00</dc:date></item>
      </channel></rss>`);
      expect(feed.entries.map((entry) => entry.published)).toEqual([
        "2003-12-31T10:14:55.000Z",
        "2018-02-12T22:42:14.000Z",
      ]);
    });

    it("resolves relative links against the feed URL", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><link>/en/news/1?a=%26</link></item><item><guid>/blog/post</guid></item></channel></rss>',
        { url: "https://www.example.com/feeds/news.xml" },
      );
      expect(feed.entries.map((entry) => entry.link)).toEqual([
        "https://www.example.com/en/news/1?a=%26",
        "https://www.example.com/blog/post",
      ]);
    });

    it("keeps absolute links verbatim (no host lower-casing)", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><link>http://www.Dicas-L.com.br/arquivo/x.php#y</link></item></channel></rss>',
      );
      expect(feed.entries[0]?.link).toBe("http://www.Dicas-L.com.br/arquivo/x.php#y");
    });

    it("counts only items that are direct children of the channel", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><title>outer</title><item/></item><item><title>two</title><item/></item></channel></rss>',
      );
      expect(feed.entries.map((entry) => entry.title)).toEqual(["outer", "two"]);
    });

    it("reads an RSS document whose elements are in a default namespace", async () => {
      const feed = await parseFeed(
        '<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>NS</title><item><title>x</title></item></channel></rss>',
      );
      expect(feed.title).toBe("NS");
      expect(feed.entries).toHaveLength(1);
    });

    it("decodes the bytes with the declared charset", async () => {
      const head = Buffer.from(
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>',
        "latin1",
      );
      const tail = Buffer.from("</title></channel></rss>", "latin1");
      const feed = await parseFeed(
        new Uint8Array(Buffer.concat([head, Buffer.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]), tail])),
      );
      expect(feed.title).toBe("Привет");
    });
  });

  describe("RSS 1.0 and 0.90", () => {
    it("reads RDF items with dc:date and rdf:about", async () => {
      const feed = await parseFeed(
        bytes(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://science.example/"><title>Science twis</title><link>https://science.example/</link></channel>
  <item rdf:about="https://science.example/content/1">
    <title>Cells</title>
    <link>https://science.example/content/1?rss=1</link>
    <dc:date>2015-11-12T14:00:00-07:00</dc:date>
    <dc:subject>Biology</dc:subject>
  </item>
</rdf:RDF>`),
      );
      expect(feed.format).toBe("rss1");
      expect(feed.title).toBe("Science twis");
      expect(feed.entries[0]).toMatchObject({
        title: "Cells",
        link: "https://science.example/content/1?rss=1",
        id: "https://science.example/content/1",
        published: "2015-11-12T21:00:00.000Z",
        dateSource: "feed",
        categories: ["Biology"],
      });
    });

    it("recognises the RSS 0.90 namespace", async () => {
      const feed =
        await parseFeed(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
        <channel><title>heise</title></channel><item><title>t</title><link>https://heise.example/1</link></item></rdf:RDF>`);
      expect(feed.format).toBe("rss090");
      expect(feed.entries[0]).toMatchObject({ title: "t", link: "https://heise.example/1", id: null });
    });
  });

  describe("Atom", () => {
    const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
  <title type="text">The   Blog</title>
  <link rel="self" href="https://blog.example.org/feed.atom"/>
  <entry>
    <title type="html">Automotive &lt;b&gt;Slack&lt;/b&gt; Market</title>
    <link rel="edit" href="https://blog.example.org/api/1"/>
    <link rel="alternate" type="application/xhtml+xml" href="posts/1.xhtml"/>
    <link rel="alternate" type="text/html" href="posts/1"/>
    <id>tag:blog.example.org,2026:1</id>
    <published>2026-01-20T16:00:00+01:00</published>
    <updated>2026-01-23T10:00:00Z</updated>
    <author><name>Ann Author</name></author>
    <category term="tech"/>
    <summary>Short summary.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First <b>bold</b> words.</p><p>Then more.</p></div></content>
  </entry>
  <entry xml:base="https://other.example.net/dir/">
    <title>Relative</title>
    <link href="page.html"/>
    <id>urn:2</id>
    <updated>2026-01-02T03:04:05.123456789Z</updated>
  </entry>
  <entry>
    <title>No link</title>
    <id>https://blog.example.org/3</id>
  </entry>
</feed>`;

    it("picks the HTML alternate link, resolves it against xml:base and prefers published", async () => {
      const feed = await parseFeed(bytes(ATOM));
      expect(feed.format).toBe("atom");
      expect(feed.title).toBe("The   Blog");
      expect(feed.entries[0]).toEqual({
        title: "Automotive Slack Market",
        link: "https://blog.example.org/posts/1",
        id: "tag:blog.example.org,2026:1",
        published: "2026-01-20T15:00:00.000Z",
        dateSource: "feed",
        content: "First bold words. Then more.",
        summary: "Short summary.",
        author: "Ann Author",
        categories: ["tech"],
      });
    });

    it("uses updated when there is no published date, and an entry-level xml:base", async () => {
      const feed = await parseFeed(bytes(ATOM));
      expect(feed.entries[1]).toMatchObject({
        link: "https://other.example.net/dir/page.html",
        published: "2026-01-02T03:04:05.123Z",
      });
      expect(feed.entries[2]).toMatchObject({ link: null, published: null, dateSource: "none" });
    });

    it("resolves root-relative links against the self link when no URL is given", async () => {
      const feed = await parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom">
        <link rel="self" href="http://tpm.example.com/feed/all"/><entry><link href="/livewire/story"/></entry></feed>`);
      expect(feed.entries[0]?.link).toBe("http://tpm.example.com/livewire/story");
    });
  });

  describe("security", () => {
    it("never expands entities declared in a DOCTYPE (billion laughs)", async () => {
      const laughs = Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`,
      ).join("\n");
      const document = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol0 "lol">
  ${laughs}
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>safe &lol3;</title></item></channel></rss>`;
      const started = Date.now();
      const feed = await parseFeed(bytes(document));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(feed.title).toBe("&lol9;");
      expect(feed.entries[0]?.title).toBe("safe &lol3;");
    });

    it("never resolves external entities", async () => {
      const document = `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>x&xxe;y</title></channel></rss>`;
      const feed = await parseFeed(bytes(document));
      expect(feed.title).toBe("x&xxe;y");
    });
  });

  describe("recovery from ill-formed documents", () => {
    it("reads a document with whitespace before the XML declaration", async () => {
      const feed = await parseFeed(
        bytes('\n  <?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title></channel></rss>'),
      );
      expect(feed.title).toBe("T");
    });

    it("escapes a raw ampersand and keeps entity-escaped ones decoded once", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><link>http://x.example/?foo=1&bar=2</link></item><item><link>http://link/get?a=1&amp;b=2</link></item></channel></rss>',
      );
      expect(feed.entries.map((entry) => entry.link)).toEqual([
        "http://x.example/?foo=1&bar=2",
        "http://link/get?a=1&b=2",
      ]);
    });

    it("drops control characters and decodes HTML-only entities", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><title>Caf&eacute;\u000f&nbsp;bar</title><description>a&nbsp;b\u0001</description></item></channel></rss>',
      );
      expect(feed.entries[0]).toMatchObject({ title: "Café bar", content: "a b" });
    });

    it("closes a document missing its end tags", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><title>T</title><item><title>one</title></item></channel></rss',
      );
      expect(feed.title).toBe("T");
      expect(feed.entries.map((entry) => entry.title)).toEqual(["one"]);
    });

    it("drops the incomplete item of a truncated document instead of inventing it", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><title>Cut</title><item><title>whole</title></item><item><title>half</title><link>http://x.exa',
      );
      expect(feed.title).toBe("Cut");
      expect(feed.entries.map((entry) => entry.title)).toEqual(["whole"]);
    });

    it("reads an Atom link written as element text instead of href", async () => {
      const feed = await parseFeed(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title><link>http://x.example/1</link></entry></feed>',
      );
      expect(feed.entries[0]?.link).toBe("http://x.example/1");
    });

    it("reads an <rss> without a channel as an empty feed", async () => {
      const feed = await parseFeed('<rss version="2.0">\n</rss');
      expect(feed).toEqual({ title: null, format: "rss2", entries: [] });
    });

    it("keeps a lone less-than sign and a tag-like fragment that is not a tag as text", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><title>a < b <3 c</title></item></channel></rss>',
      );
      expect(feed.entries[0]?.title).toBe("a < b <3 c");
    });

    it("decodes entities in unescaped description markup once", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><description>Fish &amp;amp; <b>chips</b> &eacute;t&eacute;</description></item></channel></rss>',
      );
      expect(feed.entries[0]?.content).toBe("Fish &amp; chips été");
    });

    it("never takes elements written inside a description for item fields or items", async () => {
      const feed = await parseFeed(`<rss version="2.0"><channel><item>
        <description><p>Body</p><item><title>not an item</title></item><link>http://wrong.example/</link></description>
        <link>http://right.example/</link><title>real</title>
      </item></channel></rss>`);
      expect(feed.entries).toHaveLength(1);
      expect(feed.entries[0]).toMatchObject({ title: "real", link: "http://right.example/" });
      expect(feed.entries[0]?.content).toMatch(/^Body not an item/);
    });

    it("drops an item truncated inside markup written into its description", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><title>whole</title></item><item><title>half</title><description><p>Cut <b>off',
      );
      expect(feed.entries.map((entry) => entry.title)).toEqual(["whole"]);
    });

    it("reads unquoted attributes and keeps the first of duplicated ones", async () => {
      const feed = await parseFeed(`<rss version="2.0"><channel>
        <item><guid isPermaLink=false>https://x.example/1</guid></item>
        <item><guid isPermaLink="true" isPermaLink="false">https://x.example/2</guid></item>
      </channel></rss>`);
      expect(feed.entries.map((entry) => entry.link)).toEqual([null, "https://x.example/2"]);
    });

    it("reads the other entries of an Atom feed when one entry's dates are unreadable", async () => {
      const feed = await parseFeed(`<feed xmlns="http://www.w3.org/2005/Atom">
        <entry><title>bad</title><published>sometime soon</published><updated>2026-01-02T03:04:05Z</updated></entry>
        <entry><title>none</title><published>never</published></entry>
        <entry><title>good</title><published>2026-01-03T00:00:00Z</published></entry>
      </feed>`);
      expect(feed.entries.map((entry) => [entry.title, entry.published])).toEqual([
        ["bad", "2026-01-02T03:04:05.000Z"],
        ["none", null],
        ["good", "2026-01-03T00:00:00.000Z"],
      ]);
    });

    it("keeps unescaped markup inside a description as text", async () => {
      const feed = await parseFeed(
        '<rss version="2.0"><channel><item><description><p>Hello <b>world</b><br>again</p></description></item></channel></rss>',
      );
      expect(feed.entries[0]?.content).toBe("Hello world again");
    });
  });

  describe("errors", () => {
    it("rejects an empty document with a ParseError naming the URL", async () => {
      const url = "https://feeds.example.com/empty.xml";
      await expect(parseFeed(new Uint8Array(0), { url })).rejects.toThrow(ParseError);
      await expect(parseFeed("  \n ", { url })).rejects.toThrow(url);
    });

    it("rejects a document with only a comment", async () => {
      const error = await parseFeed("<!-- nothing here -->").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).name).toBe("ParseError");
      expect((error as ParseError).outcome).toBe("parse");
    });

    it("rejects an HTML page as not a feed", async () => {
      await expect(
        parseFeed("<html><head><title>Document Moved</title></head><body>Moved</body></html>", {
          url: "https://x.example/rss",
        }),
      ).rejects.toThrow(/https:\/\/x\.example\/rss: not a feed: root element <html>/);
    });
  });
});
