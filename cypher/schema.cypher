// kg graph schema for Neo4j 5 (see /work/shared/GRAPH_CONTRACT.md).
//
// Every node label has a uniqueness constraint on `id` (it also creates the
// index MERGE uses to find a node by id) and a plain index on `name` (lookups
// by name in prepared questions). Every statement is IF NOT EXISTS, so the
// file can be run any number of times: by `Neo4jStore.ensure_schema()`, or
// pasted into Neo4j Browser / cypher-shell by hand.
// One statement per line, each ended by `;`. Lines starting with `//` are comments.

CREATE CONSTRAINT article_id_unique IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT actor_id_unique IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT venue_id_unique IF NOT EXISTS FOR (n:Venue) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT meeting_id_unique IF NOT EXISTS FOR (n:Meeting) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT ceasefire_id_unique IF NOT EXISTS FOR (n:Ceasefire) REQUIRE n.id IS UNIQUE;

CREATE INDEX article_name IF NOT EXISTS FOR (n:Article) ON (n.name);
CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name);
CREATE INDEX venue_name IF NOT EXISTS FOR (n:Venue) ON (n.name);
CREATE INDEX meeting_name IF NOT EXISTS FOR (n:Meeting) ON (n.name);
CREATE INDEX ceasefire_name IF NOT EXISTS FOR (n:Ceasefire) ON (n.name);
