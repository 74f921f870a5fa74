// LadybugDB form of evidence.cypher (same header there): LadybugDB
// names a relationship's type with label(r) where Neo4j uses type(r).
WITH toLower(coalesce($from, '')) AS wanted_from, toLower(coalesce($to, '')) AS wanted_to,
     toUpper(coalesce($type, '')) AS wanted_type
MATCH (a)-[r:ATTENDED|BOYCOTTED|MEDIATED|HELD_IN|BROKERED|VIOLATED|DISCUSSED_AT|REPRESENTS|SUPPORTS]->(b)
WHERE (wanted_type = '' OR label(r) = wanted_type)
  AND (wanted_from = ''
       OR toLower(a.name) CONTAINS wanted_from
       OR any(alias IN coalesce(a.aliases, [a.name]) WHERE toLower(alias) CONTAINS wanted_from))
  AND (wanted_to = ''
       OR toLower(b.name) CONTAINS wanted_to
       OR any(alias IN coalesce(b.aliases, [b.name]) WHERE toLower(alias) CONTAINS wanted_to))
RETURN a.name AS from_name, label(r) AS type, b.name AS to_name,
       coalesce(r.alleged, false) AS alleged, r.sources AS sources, r.evidence AS evidence
ORDER BY type, toLower(a.name), a.id, toLower(b.name), b.id
