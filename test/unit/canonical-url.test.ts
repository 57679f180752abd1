import { describe, expect, it } from "vitest";
import { canonicalUrl } from "../../shared/parse/canonical-url.ts";
import { contentHash, itemId, urlKey } from "../../shared/store/item-id.ts";

describe("canonicalUrl", () => {
  it("lower-cases the host, drops the fragment, tracking parameters and the trailing slash", () => {
    expect(
      canonicalUrl("HTTPS://News.Example.COM/Story/Depot/?utm_source=rss&utm_medium=feed&id=7#comments"),
    ).toBe("https://news.example.com/Story/Depot?id=7");
  });

  it("removes click ids and sorts the remaining parameters", () => {
    expect(canonicalUrl("https://a.example.com/p?b=2&fbclid=xyz&a=1&gclid=1&mc_cid=3")).toBe(
      "https://a.example.com/p?a=1&b=2",
    );
  });

  it("keeps the root path and drops default ports and credentials", () => {
    expect(canonicalUrl("https://user:pw@a.example.com:443")).toBe("https://a.example.com/");
    expect(canonicalUrl("http://a.example.com:80/x/")).toBe("http://a.example.com/x");
  });

  it("resolves relative links against a base and refuses non-http schemes", () => {
    expect(canonicalUrl("../b/", "https://a.example.com/x/y/")).toBe("https://a.example.com/x/b");
    expect(canonicalUrl("mailto:press@a.example.com")).toBeNull();
    expect(canonicalUrl("javascript:void(0)")).toBeNull();
    expect(canonicalUrl("not a url")).toBeNull();
  });

  it("gives the same identity to the same article reached in different ways", () => {
    const a = canonicalUrl("https://www.fiercepharma.com/pharma/story?utm_source=newsletter");
    const b = canonicalUrl("https://WWW.fiercepharma.com/pharma/story/#top");
    expect(a).toBe(b);
  });
});

describe("item ids", () => {
  it("is the source key and the first 16 hex digits of the canonical URL's sha256", () => {
    const canonical = "https://a.example.com/p";
    expect(itemId("fiercepharma", canonical)).toBe(`fiercepharma__${urlKey(canonical)}`);
    // sha256("https://a.example.com/p"), computed independently.
    expect(urlKey(canonical)).toBe("b9272d7a142cc273");
  });

  it("changes the content hash when the text changes", () => {
    expect(contentHash("T", "body")).not.toBe(contentHash("T", "body 2"));
    expect(contentHash("T", "body")).toBe(contentHash("T", "body"));
  });
});
