import { describe, expect, it } from "vitest";
import {
  dateFromTextOrUrl,
  dateFromUrl,
  findDateInText,
  findDatesInText,
  parseDate,
  toIsoUtc,
} from "../../shared/parse/dates.ts";

const iso = (date: Date | null) => (date ? toIsoUtc(date) : null);

describe("parseDate", () => {
  describe("RFC 822 / 1123", () => {
    it.each([
      ["Mon, 20 Apr 2026 09:37:00 GMT", "2026-04-20T09:37:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 UT", "2026-04-20T09:37:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 Z", "2026-04-20T09:37:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 +0200", "2026-04-20T07:37:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 -07:00", "2026-04-20T16:37:00.000Z"],
      ["Tue, 21 Aug 2012 10:33:00 EST", "2012-08-21T15:33:00.000Z"],
      ["Tue, 21 Aug 2012 10:33:00 EDT", "2012-08-21T14:33:00.000Z"],
      ["Tue, 21 Aug 2012 10:33:00 CST", "2012-08-21T16:33:00.000Z"],
      ["Tue, 21 Aug 2012 10:33:00 CDT", "2012-08-21T15:33:00.000Z"],
      ["Tue, 21 Aug 2012 10:33:00 MST", "2012-08-21T17:33:00.000Z"],
      ["Tue, 21 Aug 2012 10:33:00 MDT", "2012-08-21T16:33:00.000Z"],
      ["Tue, 01 Oct 2019 14:30:00 PST", "2019-10-01T22:30:00.000Z"],
      ["Tue, 01 Oct 2019 14:30:00 PDT", "2019-10-01T21:30:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 A", "2026-04-20T08:37:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 N", "2026-04-20T10:37:00.000Z"],
      ["Mon, 20 Apr 2026 09:37:00 GMT+1", "2026-04-20T08:37:00.000Z"],
    ])("reads %s", (text, expected) => {
      expect(iso(parseDate(text))).toBe(expected);
    });

    it("reads two-digit years", () => {
      expect(iso(parseDate("Thu, 07 Dec 17 10:00:29 -0800"))).toBe("2017-12-07T18:00:29.000Z");
    });

    it("reads a time without seconds", () => {
      expect(iso(parseDate("Thu, 01 Aug 2019 16:15 EDT"))).toBe("2019-08-01T20:15:00.000Z");
    });

    it("reads a date without weekday", () => {
      expect(iso(parseDate("07 Nov 2015 12:00:00 EST"))).toBe("2015-11-07T17:00:00.000Z");
    });

    it("tolerates a wrong or foreign weekday and surrounding whitespace", () => {
      expect(iso(parseDate("Fri, 20 Apr 2026 09:37:00 +0000"))).toBe("2026-04-20T09:37:00.000Z");
      expect(iso(parseDate("mer, 16 nov 2022 00:38:15 +0100"))).toBe("2022-11-15T23:38:15.000Z");
      expect(iso(parseDate("\r\n Wed, 03 Jan 2018 13:47:00 GMT\r\n      "))).toBe("2018-01-03T13:47:00.000Z");
    });

    it("rejects an impossible offset instead of guessing", () => {
      expect(parseDate("Fri, 11 Mar 2016 01:15:00 +3000")).toBeNull();
    });
  });

  describe("ISO 8601", () => {
    it.each([
      ["2026-04-20", "2026-04-20T00:00:00.000Z"],
      ["2026-04-20T09:37:00Z", "2026-04-20T09:37:00.000Z"],
      ["2026-04-20T09:37:00+02:00", "2026-04-20T07:37:00.000Z"],
      ["2026-04-20T09:37:00-0500", "2026-04-20T14:37:00.000Z"],
      ["2026-04-20T09:37", "2026-04-20T09:37:00.000Z"],
      ["2026-04-20T09:37:00.123Z", "2026-04-20T09:37:00.123Z"],
      ["2022-07-28T02:43:00.000000000Z", "2022-07-28T02:43:00.000Z"],
      ["2026-04-20 09:37:00", "2026-04-20T09:37:00.000Z"],
    ])("reads %s", (text, expected) => {
      expect(iso(parseDate(text))).toBe(expected);
    });
  });

  describe("written dates", () => {
    it.each([
      ["Apr 20, 2026 9:37am", "2026-04-20T09:37:00.000Z"],
      ["Apr 20, 2026 9:37 PM", "2026-04-20T21:37:00.000Z"],
      ["April 20, 2026", "2026-04-20T00:00:00.000Z"],
      ["20 April 2026", "2026-04-20T00:00:00.000Z"],
      ["27 January, 2026", "2026-01-27T00:00:00.000Z"],
      ["April 20th, 2026", "2026-04-20T00:00:00.000Z"],
      ["Tuesday, March 3rd, 2026", "2026-03-03T00:00:00.000Z"],
      ["20.04.2026", "2026-04-20T00:00:00.000Z"],
      ["20.04.2026 14:05", "2026-04-20T14:05:00.000Z"],
    ])("reads %s", (text, expected) => {
      expect(iso(parseDate(text))).toBe(expected);
    });

    it.each([
      ["20 avril 2026", "2026-04-20T00:00:00.000Z"],
      ["1er janvier 2026", "2026-01-01T00:00:00.000Z"],
      ["mardi 3 février 2026 à 14h30", "2026-02-03T14:30:00.000Z"],
      ["3. März 2026", "2026-03-03T00:00:00.000Z"],
      ["12. Dezember 2025, 08:15 Uhr", "2025-12-12T08:15:00.000Z"],
    ])("reads French and German %s", (text, expected) => {
      expect(iso(parseDate(text))).toBe(expected);
    });
  });

  describe("hints", () => {
    it("follows a format pattern", () => {
      expect(iso(parseDate("04/05/2026", { format: "MM/DD/YYYY" }))).toBe("2026-04-05T00:00:00.000Z");
      expect(iso(parseDate("04/05/2026", { format: "DD/MM/YYYY" }))).toBe("2026-05-04T00:00:00.000Z");
      expect(iso(parseDate("5 avril 2026", { format: "D MMMM YYYY", locale: "fr" }))).toBe(
        "2026-04-05T00:00:00.000Z",
      );
      expect(iso(parseDate("2026-04-20 9:05 pm", { format: "YYYY-MM-DD h:mm a" }))).toBe(
        "2026-04-20T21:05:00.000Z",
      );
    });

    it("settles day/month order of slashed dates with the locale and refuses to guess without it", () => {
      expect(iso(parseDate("04/05/2026", { locale: "en" }))).toBe("2026-04-05T00:00:00.000Z");
      expect(iso(parseDate("04/05/2026", { locale: "fr" }))).toBe("2026-05-04T00:00:00.000Z");
      expect(parseDate("04/05/2026")).toBeNull();
      expect(iso(parseDate("25/05/2026"))).toBe("2026-05-25T00:00:00.000Z");
    });

    it("reads zone-less times in the given time zone", () => {
      expect(iso(parseDate("2026-04-20 09:37:00", { timeZone: "Europe/Paris" }))).toBe(
        "2026-04-20T07:37:00.000Z",
      );
      expect(iso(parseDate("20 January 2026 09:00", { timeZone: "America/New_York" }))).toBe(
        "2026-01-20T14:00:00.000Z",
      );
      expect(iso(parseDate("2026-04-20T09:37:00Z", { timeZone: "Europe/Paris" }))).toBe(
        "2026-04-20T09:37:00.000Z",
      );
    });
  });

  describe("refusals", () => {
    it.each([
      [""],
      ["   "],
      ["not a date"],
      ["yesterday"],
      ["Seg, 99 Foo 2018"],
      ["2026-02-30"],
      ["2026-13-01"],
      ["Mon, 20 Apr 2026 25:00:00 GMT"],
      ["1518478934"],
      ["12 March 1985"],
      ["12 March 2199"],
    ])("returns null for %j", (text) => {
      expect(parseDate(text)).toBeNull();
    });
  });
});

describe("findDateInText", () => {
  it("finds a written date inside a sentence", () => {
    expect(iso(findDateInText("Published on 12 March 2026 — by Jane Doe"))).toBe("2026-03-12T00:00:00.000Z");
  });

  it("keeps the time that follows the date", () => {
    expect(iso(findDateInText("Updated: March 5, 2026 at 4:15 pm, Paris"))).toBe("2026-03-05T16:15:00.000Z");
  });

  it("finds ISO and dotted dates", () => {
    expect(iso(findDateInText("posted 2026-03-12T10:00:00Z in News"))).toBe("2026-03-12T10:00:00.000Z");
    expect(iso(findDateInText("Stand: 03.02.2026, Redaktion"))).toBe("2026-02-03T00:00:00.000Z");
  });

  it("returns the first date when there are several", () => {
    expect(iso(findDateInText("Event on 20 May 2026, announced 1 April 2026"))).toBe(
      "2026-05-20T00:00:00.000Z",
    );
  });

  it("skips ambiguous and implausible dates", () => {
    expect(findDateInText("Meeting 03/04/2026 in room 12")).toBeNull();
    expect(iso(findDateInText("founded 12 March 1901; relaunched 4 June 2025"))).toBe(
      "2025-06-04T00:00:00.000Z",
    );
    expect(findDateInText("No date in this text, version 1.2.3")).toBeNull();
  });
});

describe("dateFromUrl", () => {
  it.each([
    ["https://example.com/2026/04/20/some-story", "2026-04-20T00:00:00.000Z"],
    ["https://example.com/news/2026-04-20-some-story", "2026-04-20T00:00:00.000Z"],
    ["https://example.com/news/article-20260420.html", "2026-04-20T00:00:00.000Z"],
    ["/2026/4/2/short", "2026-04-02T00:00:00.000Z"],
  ])("reads %s", (url, expected) => {
    expect(iso(dateFromUrl(url))).toBe(expected);
  });

  it.each([
    ["https://example.com/2026/04/some-story"],
    ["https://example.com/2026/13/45/story"],
    ["https://example.com/story-123456789"],
    ["https://example.com/?date=2026-04-20"],
  ])("returns null without a full, valid date in the path: %s", (url) => {
    expect(dateFromUrl(url)).toBeNull();
  });
});

describe("the instants returned", () => {
  it("are UTC instants: an offset can move the calendar day", () => {
    expect(iso(parseDate("2026-04-20T23:30:00-05:00"))).toBe("2026-04-21T04:30:00.000Z");
    expect(iso(parseDate("2025-04-02T07:30:00+09:00"))).toBe("2025-04-01T22:30:00.000Z");
  });

  it("put a date without time at midnight UTC, or at midnight of the given zone", () => {
    expect(iso(parseDate("12 March 2025"))).toBe("2025-03-12T00:00:00.000Z");
    expect(iso(parseDate("12 March 2025", { timeZone: "Asia/Seoul" }))).toBe("2025-03-11T15:00:00.000Z");
  });

  it("are written by toIsoUtc with milliseconds and Z whatever zone the text was in", () => {
    expect(dateFromTextOrUrl("Posted 20.04.2026 14:05 Uhr", "").published).toBe("2026-04-20T14:05:00.000Z");
    expect(dateFromTextOrUrl("", "https://example.com/2026/04/20/story").published).toBe(
      "2026-04-20T00:00:00.000Z",
    );
  });
});

describe("the plausibility bound", () => {
  const now = new Date("2026-01-15T00:00:00Z");

  it("refuses dates more than two years after the caller's clock", () => {
    expect(iso(parseDate("12 March 2027", { now }))).toBe("2027-03-12T00:00:00.000Z");
    expect(parseDate("12 March 2029", { now })).toBeNull();
    expect(findDateInText("the plan runs until 1 June 2030", { now })).toBeNull();
    expect(dateFromUrl("https://example.com/2031/01/02/story", { now })).toBeNull();
    expect(dateFromTextOrUrl("due 1 June 2030", "https://example.com/2031/01/02/x", { now }).dateSource).toBe(
      "none",
    );
  });

  it("without a clock refuses only years after 2100, the same answer whenever it runs", () => {
    expect(iso(parseDate("12 March 2099"))).toBe("2099-03-12T00:00:00.000Z");
    expect(parseDate("1 January 2101")).toBeNull();
  });

  it("refuses dates before 1990 with or without a clock", () => {
    expect(parseDate("31 December 1989", { now })).toBeNull();
    expect(parseDate("31 December 1989")).toBeNull();
  });
});

describe("Spanish, Swedish and Korean dates", () => {
  it.each([
    ["12 de marzo de 2025", "2025-03-12T00:00:00.000Z"],
    ["miércoles, 12 de marzo del 2025, 10:35", "2025-03-12T10:35:00.000Z"],
    ["12 maj 2025", "2025-05-12T00:00:00.000Z"],
    ["4 augusti 2025 kl. 11:20", "2025-08-04T11:20:00.000Z"],
    ["tisdag 4 februari 2025", "2025-02-04T00:00:00.000Z"],
    ["2025년 3월 12일", "2025-03-12T00:00:00.000Z"],
    ["2025년 6월 5일(목) 오후 2시", "2025-06-05T14:00:00.000Z"],
    ["2025.03.12 15:30", "2025-03-12T15:30:00.000Z"],
    ["2025. 3. 12. 15:04", "2025-03-12T15:04:00.000Z"],
    ["2025-03-12 오후 3:00", "2025-03-12T15:00:00.000Z"],
    ["2025-03-12 오전 12:10", "2025-03-12T00:10:00.000Z"],
  ])("reads %s", (text, expected) => {
    expect(iso(parseDate(text))).toBe(expected);
  });

  it("refuses impossible Korean dates and meridiem hours", () => {
    expect(parseDate("2025년 2월 30일")).toBeNull();
    expect(parseDate("2025-03-12 오후 13:00")).toBeNull();
  });
});

describe("findDatesInText", () => {
  it("lists every date in reading order with where it is written", () => {
    const text = "입력 2025.03.12 15:00 | 수정 2025.03.13 09:10";
    const found = findDatesInText(text).map((d) => ({
      iso: iso(d.date),
      written: text.slice(d.index, d.end),
    }));
    expect(found).toEqual([
      { iso: "2025-03-12T15:00:00.000Z", written: "2025.03.12 15:00" },
      { iso: "2025-03-13T09:10:00.000Z", written: "2025.03.13 09:10" },
    ]);
  });

  it("keeps one reading where two overlap, with the time that follows", () => {
    const found = findDatesInText("기사입력 2025-01-08 오후 3:00");
    expect(found.map((d) => iso(d.date))).toEqual(["2025-01-08T15:00:00.000Z"]);
  });

  it("orders slashed dates by the locale, and reads none it cannot order", () => {
    expect(iso(findDateInText("Published 03/12/2025 4:15 PM", { locale: "en-US" }))).toBe(
      "2025-03-12T16:15:00.000Z",
    );
    expect(iso(findDateInText("Published: 12/03/2025", { locale: "en-GB" }))).toBe(
      "2025-03-12T00:00:00.000Z",
    );
    expect(iso(findDateInText("12-03-2025 - 14:20h", { locale: "es" }))).toBe("2025-03-12T14:20:00.000Z");
    expect(findDateInText("Published: 12/03/2025")).toBeNull();
  });

  it("reads dotted clock times and the Swedish kl.", () => {
    expect(iso(findDateInText("Wed 12 Mar 2025 14.30 GMT"))).toBe("2025-03-12T14:30:00.000Z");
    expect(iso(findDateInText("Publicerad: 4 februari 2025 kl. 11:20"))).toBe("2025-02-04T11:20:00.000Z");
  });
});
