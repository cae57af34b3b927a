// Head office's side of a chain of shops: the tables every shop's journal records reach, and one PostgreSQL
// role per shop that may only add its own shop's records (row-level security) — it cannot read other shops'
// sales, change or delete anything. The guarantee that a record is stored once comes from the database: its
// id (a UUID v7 made at the till) is the primary key, and shops send with INSERT … ON CONFLICT DO NOTHING.
import pg from 'pg';

/** The tables (documented in the README, "A chain of shops"). */
export const HEAD_OFFICE_SCHEMA = `
CREATE TABLE IF NOT EXISTS serverokey_chain_shops (
  shop text PRIMARY KEY,
  role text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS serverokey_chain_records (
  uid uuid PRIMARY KEY,
  shop text NOT NULL REFERENCES serverokey_chain_shops (shop),
  journal text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz,
  record json NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS serverokey_chain_records_by_shop ON serverokey_chain_records (shop, journal, seq);
ALTER TABLE serverokey_chain_records ENABLE ROW LEVEL SECURITY;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'serverokey_shop') THEN CREATE ROLE serverokey_shop NOLOGIN; END IF;
END $$;
GRANT SELECT ON serverokey_chain_shops TO serverokey_shop;
GRANT SELECT, INSERT ON serverokey_chain_records TO serverokey_shop;
DROP POLICY IF EXISTS shop_adds_its_own ON serverokey_chain_records;
CREATE POLICY shop_adds_its_own ON serverokey_chain_records FOR INSERT TO serverokey_shop
  WITH CHECK (shop = (SELECT s.shop FROM serverokey_chain_shops s WHERE s.role = current_user));
DROP POLICY IF EXISTS shop_reads_its_own ON serverokey_chain_records;
CREATE POLICY shop_reads_its_own ON serverokey_chain_records FOR SELECT TO serverokey_shop
  USING (shop = (SELECT s.shop FROM serverokey_chain_shops s WHERE s.role = current_user));
CREATE SEQUENCE IF NOT EXISTS serverokey_catalogue_version;
CREATE TABLE IF NOT EXISTS serverokey_chain_catalogue (
  item_id text NOT NULL,
  shop text NOT NULL DEFAULT '',
  version bigint NOT NULL DEFAULT nextval('serverokey_catalogue_version'),
  item json,
  PRIMARY KEY (item_id, shop)
);
CREATE INDEX IF NOT EXISTS serverokey_chain_catalogue_by_version ON serverokey_chain_catalogue (version);
-- an amount of a record as kopecks; anything that is not a whole number counts 0 (one odd record must never stop a shop's uploads)
CREATE OR REPLACE FUNCTION serverokey_chain_kopecks(value text) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $fn$ SELECT CASE WHEN value ~ '^-?[0-9]{1,15}$' THEN value::bigint ELSE 0 END $fn$;
CREATE INDEX IF NOT EXISTS serverokey_chain_records_by_day ON serverokey_chain_records (journal, (record->>'day'));
-- each shop's last word: when it last reached head office, what it still had to send, the catalogue it holds
CREATE TABLE IF NOT EXISTS serverokey_chain_contacts (
  shop text PRIMARY KEY REFERENCES serverokey_chain_shops (shop),
  seen_at timestamptz NOT NULL DEFAULT now(),
  backlog bigint NOT NULL DEFAULT 0,
  catalogue_version bigint NOT NULL DEFAULT 0
);
ALTER TABLE serverokey_chain_contacts ENABLE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON serverokey_chain_contacts TO serverokey_shop;
DROP POLICY IF EXISTS shop_reports_itself ON serverokey_chain_contacts;
CREATE POLICY shop_reports_itself ON serverokey_chain_contacts FOR ALL TO serverokey_shop
  USING (shop = (SELECT s.shop FROM serverokey_chain_shops s WHERE s.role = current_user))
  WITH CHECK (shop = (SELECT s.shop FROM serverokey_chain_shops s WHERE s.role = current_user));
-- whoever writes (a shop's upload, head office's app, an accountant's SQL), the listeners hear of it:
-- head office's pages on UPLOADS_CHANNEL, the shops on CATALOGUE_CHANNEL
CREATE OR REPLACE FUNCTION serverokey_chain_uploaded() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN PERFORM pg_notify('serverokey_chain_uploads', ''); RETURN NULL; END $fn$;
-- each shop's sales per day, kept by the upload's own transaction from the rows it really added (a record sent
-- again adds nothing): head office's board reads a row per shop, not the day's records
DO $$ BEGIN
  IF to_regclass('serverokey_chain_daily') IS NULL THEN
    CREATE TABLE serverokey_chain_daily (
      shop text NOT NULL REFERENCES serverokey_chain_shops (shop),
      day text NOT NULL,
      sales bigint NOT NULL DEFAULT 0,
      total bigint NOT NULL DEFAULT 0,
      cash bigint NOT NULL DEFAULT 0,
      card bigint NOT NULL DEFAULT 0,
      last_sale text,
      PRIMARY KEY (shop, day)
    );
    INSERT INTO serverokey_chain_daily (shop, day, sales, total, cash, card, last_sale)
      SELECT shop, record->>'day', count(*), sum(serverokey_chain_kopecks(record->>'finalTotal')),
             sum(CASE WHEN record->'payment'->>'method' = 'cash' THEN serverokey_chain_kopecks(record->>'finalTotal') ELSE 0 END),
             sum(CASE WHEN record->'payment'->>'method' = 'card' THEN serverokey_chain_kopecks(record->>'finalTotal') ELSE 0 END),
             max(record->>'timeText')
        FROM serverokey_chain_records WHERE journal = 'sales' AND record->>'day' IS NOT NULL GROUP BY 1, 2;
  END IF;
END $$;
GRANT SELECT ON serverokey_chain_daily TO serverokey_shop;
ALTER TABLE serverokey_chain_daily ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS shop_reads_its_days ON serverokey_chain_daily;
CREATE POLICY shop_reads_its_days ON serverokey_chain_daily FOR SELECT TO serverokey_shop
  USING (shop = (SELECT s.shop FROM serverokey_chain_shops s WHERE s.role = current_user));
-- runs as head office's owner (a shop's role may not write these tables itself); only the rows the upload added
CREATE OR REPLACE FUNCTION serverokey_chain_records_added() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $fn$
BEGIN
  INSERT INTO serverokey_chain_daily AS d (shop, day, sales, total, cash, card, last_sale)
    SELECT shop, record->>'day', count(*), sum(serverokey_chain_kopecks(record->>'finalTotal')),
           sum(CASE WHEN record->'payment'->>'method' = 'cash' THEN serverokey_chain_kopecks(record->>'finalTotal') ELSE 0 END),
           sum(CASE WHEN record->'payment'->>'method' = 'card' THEN serverokey_chain_kopecks(record->>'finalTotal') ELSE 0 END),
           max(record->>'timeText')
      FROM added WHERE journal = 'sales' AND record->>'day' IS NOT NULL GROUP BY 1, 2
  ON CONFLICT (shop, day) DO UPDATE SET sales = d.sales + EXCLUDED.sales, total = d.total + EXCLUDED.total, cash = d.cash + EXCLUDED.cash,
    card = d.card + EXCLUDED.card, last_sale = greatest(d.last_sale, EXCLUDED.last_sale);
  -- a shop is heard from whenever its records arrive
  INSERT INTO serverokey_chain_contacts AS c (shop, seen_at) SELECT DISTINCT shop, now() FROM added
  ON CONFLICT (shop) DO UPDATE SET seen_at = now();
  PERFORM pg_notify('serverokey_chain_uploads', '');
  RETURN NULL;
END $fn$;
-- a definer's function names the schema it reads (the one head office was set up in), never the caller's path
DO $$ BEGIN
  EXECUTE format('ALTER FUNCTION serverokey_chain_records_added() SET search_path = pg_catalog, %I', current_schema());
END $$;
DROP TRIGGER IF EXISTS serverokey_chain_records_notify ON serverokey_chain_records;
CREATE TRIGGER serverokey_chain_records_notify AFTER INSERT ON serverokey_chain_records REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION serverokey_chain_records_added();
DROP TRIGGER IF EXISTS serverokey_chain_contacts_notify ON serverokey_chain_contacts;
CREATE TRIGGER serverokey_chain_contacts_notify AFTER INSERT OR UPDATE ON serverokey_chain_contacts FOR EACH STATEMENT EXECUTE FUNCTION serverokey_chain_uploaded();
CREATE OR REPLACE FUNCTION serverokey_chain_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN PERFORM pg_notify('serverokey_catalogue', ''); RETURN NULL; END $fn$;
DROP TRIGGER IF EXISTS serverokey_chain_catalogue_notify ON serverokey_chain_catalogue;
CREATE TRIGGER serverokey_chain_catalogue_notify AFTER INSERT OR UPDATE OR DELETE ON serverokey_chain_catalogue FOR EACH STATEMENT EXECUTE FUNCTION serverokey_chain_catalogue_changed();
ALTER TABLE serverokey_chain_catalogue ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON serverokey_chain_catalogue TO serverokey_shop;
DROP POLICY IF EXISTS shop_reads_catalogue ON serverokey_chain_catalogue;
CREATE POLICY shop_reads_catalogue ON serverokey_chain_catalogue FOR SELECT TO serverokey_shop
  USING (shop = '' OR shop = (SELECT s.shop FROM serverokey_chain_shops s WHERE s.role = current_user));
`;

/** Shops listen here: a change to the catalogue is pulled at once, not at the next round (a trigger sends it). */
export const CATALOGUE_CHANNEL = 'serverokey_catalogue';
/** Head office's pages listen here: a shop's upload or report (a trigger sends it). */
export const UPLOADS_CHANNEL = 'serverokey_chain_uploads';

/**
 * Puts a product into the chain's catalogue (written at head office only: shops may only read it), for every
 * shop or, with `shop`, that shop's override: its fields (a price) over the chain's item, or a product of that
 * shop alone. `item` null removes it. Every change takes the next version of one sequence; shops pull what
 * is newer than the version they hold (the table's trigger tells them at once).
 */
export async function putCatalogueItem(adminUrl: string, itemId: string, item: Record<string, unknown> | null, shop = ''): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `INSERT INTO serverokey_chain_catalogue (item_id, shop, item) VALUES ($1, $2, $3)
       ON CONFLICT (item_id, shop) DO UPDATE SET item = EXCLUDED.item, version = nextval('serverokey_catalogue_version')
       RETURNING version`,
      [itemId, shop, item === null ? null : JSON.stringify(item)],
    );
    return Number(rows[0].version);
  } finally {
    await client.end();
  }
}

const SHOP_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** The PostgreSQL role of a shop: `shop_<id>` (ids are lower-case letters, digits, - and _). */
export function shopRole(shop: string): string {
  if (!SHOP_ID.test(shop)) throw new Error(`shop id ${JSON.stringify(shop)}: use 1–40 lower-case letters, digits, "-" or "_", starting with a letter or digit`);
  return `shop_${shop.replace(/-/g, '_')}`;
}

/** Creates (or brings up to date) head office's tables, with an owner's connection. */
export async function setUpHeadOffice(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7320021)');
    await client.query(HEAD_OFFICE_SCHEMA);
  } finally {
    await client.end();
  }
}

/** A new shop: its login role (with this password) and its row; refused when the shop exists. */
export async function addShop(adminUrl: string, shop: string, password: string): Promise<{ role: string }> {
  const role = shopRole(shop);
  if (password.length < 12) throw new Error('a shop password needs at least 12 characters');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const known = await client.query('SELECT 1 FROM serverokey_chain_shops WHERE shop = $1', [shop]);
    if (known.rowCount) throw new Error(`shop "${shop}" exists already`);
    // a role name and a password cannot be bound parameters: the name is checked above, the password quoted
    await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${client.escapeLiteral(password)} IN ROLE serverokey_shop`);
    await client.query('INSERT INTO serverokey_chain_shops (shop, role) VALUES ($1, $2)', [shop, role]);
    await client.query('COMMIT');
    return { role };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
