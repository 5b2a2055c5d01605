/**
 * Corpus statistics for BM25 keyword search: document frequency per token and the
 * corpus totals, kept exact by statement triggers on knowledge_chunks (inserts and
 * deletes, cascades included), so every writer and every process sees the same IDF.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table knowledge_terms (term text primary key, df integer not null)`.execute(db);
  await sql`create table knowledge_term_totals (
    id boolean primary key default true check (id),
    chunks bigint not null,
    tokens bigint not null)`.execute(db);
  await sql`insert into knowledge_term_totals (id, chunks, tokens)
    select true, count(*), coalesce(sum(array_length(string_to_array(tokens, ' '), 1)), 0) from knowledge_chunks`.execute(
    db,
  );
  await sql`insert into knowledge_terms (term, df)
    select term, count(*) from (select distinct id, unnest(string_to_array(tokens, ' ')) as term from knowledge_chunks) t
    where term <> '' group by term`.execute(db);

  await sql`create function knowledge_chunks_count_terms() returns trigger language plpgsql as $$
  begin
    if tg_op = 'INSERT' then
      insert into knowledge_terms (term, df)
        select term, count(*) from (select distinct id, unnest(string_to_array(tokens, ' ')) as term from changed_rows) t
        where term <> '' group by term
        on conflict (term) do update set df = knowledge_terms.df + excluded.df;
      update knowledge_term_totals set
        chunks = chunks + (select count(*) from changed_rows),
        tokens = tokens + (select coalesce(sum(array_length(string_to_array(tokens, ' '), 1)), 0) from changed_rows);
    else
      update knowledge_terms k set df = k.df - d.n
        from (select term, count(*) as n from (select distinct id, unnest(string_to_array(tokens, ' ')) as term from changed_rows) t
              group by term) d
        where k.term = d.term;
      delete from knowledge_terms where df <= 0;
      update knowledge_term_totals set
        chunks = chunks - (select count(*) from changed_rows),
        tokens = tokens - (select coalesce(sum(array_length(string_to_array(tokens, ' '), 1)), 0) from changed_rows);
    end if;
    return null;
  end $$`.execute(db);
  await sql`create trigger knowledge_chunks_terms_insert after insert on knowledge_chunks
    referencing new table as changed_rows for each statement execute function knowledge_chunks_count_terms()`.execute(
    db,
  );
  await sql`create trigger knowledge_chunks_terms_delete after delete on knowledge_chunks
    referencing old table as changed_rows for each statement execute function knowledge_chunks_count_terms()`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists knowledge_chunks_terms_insert on knowledge_chunks`.execute(db);
  await sql`drop trigger if exists knowledge_chunks_terms_delete on knowledge_chunks`.execute(db);
  await sql`drop function if exists knowledge_chunks_count_terms()`.execute(db);
  await sql`drop table if exists knowledge_terms`.execute(db);
  await sql`drop table if exists knowledge_term_totals`.execute(db);
}
