import { describe, expect, it } from "vitest";
import { decodeBody } from "../../shared/parse/charset.ts";

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));
const latin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const concat = (...parts: Array<Uint8Array | number[]>) => new Uint8Array(parts.flatMap((part) => [...part]));

/** "Привет" in windows-1251. */
const PRIVET_1251 = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2];

describe("decodeBody", () => {
  it("strips a UTF-8 BOM and decodes the rest as UTF-8", () => {
    const text = decodeBody(concat([0xef, 0xbb, 0xbf], utf8('<?xml version="1.0"?><rss>Café</rss>')), {
      kind: "xml",
    });
    expect(text).toBe('<?xml version="1.0"?><rss>Café</rss>');
  });

  it("lets the BOM win over a contradicting header", () => {
    const text = decodeBody(concat([0xef, 0xbb, 0xbf], utf8("<rss>€</rss>")), {
      kind: "xml",
      contentType: "text/xml; charset=iso-8859-1",
    });
    expect(text).toBe("<rss>€</rss>");
  });

  it("decodes UTF-16LE and UTF-16BE documents with a BOM", () => {
    const document = '<?xml version="1.0" encoding="utf-16"?><rss>Ünïcode €</rss>';
    const le = concat([0xff, 0xfe], new Uint8Array(Buffer.from(document, "utf16le")));
    const beBytes = Buffer.from(document, "utf16le").swap16();
    const be = concat([0xfe, 0xff], new Uint8Array(beBytes));
    expect(decodeBody(le, { kind: "xml" })).toBe(document);
    expect(decodeBody(be, { kind: "xml" })).toBe(document);
  });

  it("reads ISO-8859-1 when the Content-Type header says so", () => {
    const text = decodeBody(latin1("<rss><title>Le Cercle Psy : étude à la une</title></rss>"), {
      kind: "xml",
      contentType: "application/xml; charset=ISO-8859-1",
    });
    expect(text).toBe("<rss><title>Le Cercle Psy : étude à la une</title></rss>");
  });

  it("trusts valid multibyte UTF-8 over a windows-1252 prolog", () => {
    const text = decodeBody(utf8('<?xml version="1.0" encoding="windows-1252"?><title>Euro €</title>'), {
      kind: "xml",
    });
    expect(text).toContain("<title>Euro €</title>");
  });

  it("maps the windows-1252 0x80-0x9F block (euro sign, curly quotes)", () => {
    const bytes = concat(
      latin1('<?xml version="1.0" encoding="windows-1252"?><t>'),
      [0x80, 0x20, 0x93, 0x61, 0x94],
    );
    expect(decodeBody(bytes, { kind: "xml" })).toMatch(/<t>€ “a”$/);
  });

  it("decodes windows-1251 declared in the XML prolog", () => {
    const bytes = concat(latin1('<?xml version="1.0" encoding="windows-1251"?><t>'), PRIVET_1251);
    expect(decodeBody(bytes, { kind: "xml" })).toMatch(/<t>Привет$/);
  });

  it("prefers the header charset over the prolog", () => {
    const bytes = concat(latin1('<?xml version="1.0" encoding="iso-8859-1"?><t>'), PRIVET_1251);
    expect(decodeBody(bytes, { kind: "xml", contentType: "text/xml; charset=windows-1251" })).toMatch(
      /Привет$/,
    );
  });

  it("decodes koi8-r from the header", () => {
    // "мир" in KOI8-R
    const bytes = concat(latin1("<t>"), [0xcd, 0xc9, 0xd2]);
    expect(decodeBody(bytes, { kind: "xml", contentType: 'text/xml; charset="koi8-r"' })).toBe("<t>мир");
  });

  it("falls back to windows-1252 for undeclared bytes that are not UTF-8", () => {
    const bytes = latin1("<rss><title>simulações de 2º turno</title></rss>");
    expect(decodeBody(bytes, { kind: "xml" })).toBe("<rss><title>simulações de 2º turno</title></rss>");
  });

  it("reads undeclared valid UTF-8 as UTF-8", () => {
    expect(decodeBody(utf8("<rss>Новости – citydog.by</rss>"), { kind: "xml" })).toBe(
      "<rss>Новости – citydog.by</rss>",
    );
  });

  it("ignores an unknown charset label and sniffs the bytes instead", () => {
    const text = decodeBody(utf8("<rss>naïve</rss>"), {
      kind: "xml",
      contentType: "text/xml; charset=x-unknown",
    });
    expect(text).toBe("<rss>naïve</rss>");
  });

  it("reads <meta charset> and <meta http-equiv> for HTML", () => {
    const direct = concat(latin1('<html><head><meta charset="windows-1251"></head><body>'), PRIVET_1251);
    const equiv = concat(
      latin1('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'),
      latin1("<body>déjà vu"),
    );
    expect(decodeBody(direct, { kind: "html" })).toMatch(/<body>Привет$/);
    expect(decodeBody(equiv, { kind: "html" })).toMatch(/<body>déjà vu$/);
  });

  it("does not read an XML prolog for HTML documents", () => {
    const bytes = concat(latin1('<?xml version="1.0" encoding="windows-1251"?><p>'), latin1("é"));
    expect(decodeBody(bytes, { kind: "html" })).toMatch(/<p>é$/);
  });
});
