// title: Ceasefires, their brokers and their violators
// answers: every ceasefire with each party that brokered it or is said to have violated it (violated = 'accused' when only accused)
// param: ceasefire = null  (part of a ceasefire name, any case; null = every ceasefire)
// example: kg ask ceasefires -p ceasefire=nationwide
WITH toLower(coalesce($ceasefire, '')) AS wanted
MATCH (c:Ceasefire)
WHERE wanted = '' OR toLower(c.name) CONTAINS wanted
OPTIONAL MATCH (a:Actor)-[:BROKERED|VIOLATED]->(c)
WITH DISTINCT c, a
OPTIONAL MATCH (a)-[b:BROKERED]->(c)
OPTIONAL MATCH (a)-[v:VIOLATED]->(c)
RETURN c.name AS ceasefire, c.date AS date, c.status AS status, a.name AS actor,
       b IS NOT NULL AS brokered,
       CASE WHEN v IS NULL THEN null WHEN v.alleged THEN 'accused' ELSE 'violated' END AS violated
ORDER BY coalesce(c.date, '9999-12-31'), toLower(c.name), c.id, brokered DESC,
         coalesce(toLower(a.name), ''), a.id
