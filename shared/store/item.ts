import * as z from "zod";

export const DateSourceSchema = z.enum(["feed", "page_selector", "page_meta", "content_text", "url", "none"]);

/** One stored news item, as the downstream stage reads `ingested/{client}/{Y}/{M}/{D}/items.json`. */
export const ItemSchema = z.looseObject({
  item_id: z.string(),
  source_key: z.string(),
  source_type: z.string(),
  title: z.string(),
  content: z.string(),
  url: z.string(),
  published_at: z.string().nullable(),
  date_source: DateSourceSchema,
  ingested_at: z.string(),
  language: z.string(),
  content_hash: z.string(),
  metadata: z.record(z.string(), z.unknown()),
});
export type Item = z.infer<typeof ItemSchema>;

export const ItemListSchema = z.array(ItemSchema);
