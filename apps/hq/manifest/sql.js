// The queries head office's pages run on the chain's central tables (server/chain/head-office.ts, README
// "A chain of shops"). Values are always bound parameters ($1, $2, …). Money is kopecks; sums come back as
// float8 (a number in JavaScript, exact far beyond any day's takings) so {{#money}} formats them.

/**
 * Each shop: the day's sales (by the day the till recorded), from serverokey_chain_daily — one row per shop and
 * day, kept by the uploads' trigger, so the board costs the same with 100 or 100,000 sales — its last contact
 * and what it still had to send then.
 */
const salesToday = `
SELECT s.shop,
       coalesce(d.sales, 0)::int AS sales, coalesce(d.total, 0)::float8 AS total,
       coalesce(d.cash, 0)::float8 AS cash, coalesce(d.card, 0)::float8 AS card,
       d.last_sale, c.seen_at AS last_contact, c.backlog, c.catalogue_version
  FROM serverokey_chain_shops s
  LEFT JOIN serverokey_chain_daily d ON d.shop = s.shop AND d.day = $1
  LEFT JOIN serverokey_chain_contacts c ON c.shop = s.shop
 ORDER BY s.shop`;

const shops = 'SELECT shop FROM serverokey_chain_shops ORDER BY shop';

/** The chain's products (not withdrawn), by number; $1 a search text ('' for all). */
const catalogueList = `
SELECT c.item_id, (c.item->>'id') AS id, c.item->>'name' AS name, (c.item->>'price')::int AS price,
       coalesce((SELECT string_agg(b, ', ') FROM json_array_elements_text(coalesce(c.item->'barcodes', '[]'::json)) b), c.item->>'barcode', '') AS codes,
       coalesce(c.item->>'category', '') AS category, coalesce((c.item->>'archived')::boolean, false) AS archived, c.version,
       (SELECT count(*) FROM serverokey_chain_catalogue o WHERE o.item_id = c.item_id AND o.shop <> '' AND o.item IS NOT NULL)::int AS overrides
  FROM serverokey_chain_catalogue c
 WHERE c.shop = '' AND c.item IS NOT NULL
   AND ($1 = '' OR c.item_id = $1 OR c.item->>'name' ILIKE '%' || $1 || '%' OR c.item->>'barcodes' LIKE '%"' || $1 || '%' OR c.item->>'barcode' = $1)
 ORDER BY CASE WHEN c.item_id ~ '^[0-9]{1,9}$' THEN c.item_id::int END NULLS LAST, c.item_id
 LIMIT 201`;

/** One product of the chain ($1 its number). */
const product = `SELECT item_id, item, version FROM serverokey_chain_catalogue WHERE item_id = $1 AND shop = '' AND item IS NOT NULL`;

/** Every shop with its own price of a product ($1), if it has one. */
const shopPrices = `
SELECT s.shop, (o.item->>'price')::int AS price
  FROM serverokey_chain_shops s
  LEFT JOIN serverokey_chain_catalogue o ON o.item_id = $1 AND o.shop = s.shop AND o.item IS NOT NULL
 ORDER BY s.shop`;

/** Another product of the chain holding one of these barcodes ($1 the product's own number or '', $2 the codes). */
const barcodeHolder = `
SELECT c.item_id AS id, c.item->>'name' AS name, b AS code
  FROM serverokey_chain_catalogue c, json_array_elements_text(coalesce(c.item->'barcodes', '[]'::json)) b
 WHERE c.shop = '' AND c.item IS NOT NULL AND c.item_id <> $1 AND b = ANY($2::text[])
 LIMIT 1`;

/** A new product: the next free number, its fields ($1, JSON); every change takes the next catalogue version. */
const addProduct = `
WITH next AS (
  SELECT coalesce(max(item_id::int), 0) + 1 AS id FROM serverokey_chain_catalogue WHERE item_id ~ '^[0-9]{1,9}$'
)
INSERT INTO serverokey_chain_catalogue (item_id, shop, item)
SELECT next.id::text, '', (jsonb_build_object('id', next.id, 'archived', false) || $1::jsonb)::json FROM next
RETURNING item_id, version`;

/** A product's fields changed ($1 its number, $2 the fields as JSON: the rest of the item stays). */
const updateProduct = `
UPDATE serverokey_chain_catalogue
   SET item = (item::jsonb || $2::jsonb)::json, version = nextval('serverokey_catalogue_version')
 WHERE item_id = $1 AND shop = '' AND item IS NOT NULL
RETURNING item_id, version`;

/** A shop's own price of a product ($1 product, $2 shop, $3 kopecks): refused for a shop or product that does not exist. */
const setShopPrice = `
INSERT INTO serverokey_chain_catalogue (item_id, shop, item)
SELECT c.item_id, s.shop, json_build_object('price', $3::int)
  FROM serverokey_chain_shops s, serverokey_chain_catalogue c
 WHERE s.shop = $2 AND c.item_id = $1 AND c.shop = '' AND c.item IS NOT NULL
ON CONFLICT (item_id, shop) DO UPDATE SET item = EXCLUDED.item, version = nextval('serverokey_catalogue_version')
RETURNING item_id, version`;

/** The shop's own price withdrawn ($1 product, $2 shop): kept as an empty row with a new version, so shops pull it. */
const removeShopPrice = `
UPDATE serverokey_chain_catalogue SET item = NULL, version = nextval('serverokey_catalogue_version')
 WHERE item_id = $1 AND shop = $2 AND item IS NOT NULL
RETURNING item_id, version`;

/** Z reports of every shop ($1 shop or '', $2 from, $3 to: YYYY-MM-DD or ''), newest first. */
const zReports = `
SELECT shop, (record->>'number')::int AS number, record->'terminal'->>'name' AS terminal, record->>'cashier' AS cashier,
       record->>'closedText' AS closed, (record->>'salesCount')::int AS count,
       (record->>'net')::float8 AS net, (record->>'cash')::float8 AS cash, (record->>'card')::float8 AS card
  FROM serverokey_chain_records
 WHERE journal = 'zReports' AND ($1 = '' OR shop = $1)
   AND ($2 = '' OR left(record->>'closedAt', 10) >= $2) AND ($3 = '' OR left(record->>'closedAt', 10) <= $3)
 ORDER BY record->>'closedAt' DESC NULLS LAST, shop
 LIMIT 500`;

module.exports = {
  salesToday,
  shops,
  catalogueList,
  product,
  shopPrices,
  barcodeHolder,
  addProduct,
  updateProduct,
  setShopPrice,
  removeShopPrice,
  zReports,
};
