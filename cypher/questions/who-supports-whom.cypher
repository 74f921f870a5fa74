// title: Who supports whom
// answers: each party backing another, with the supporting articles and sentences
// param: actor = null  (part of any name or alias of either side, any case; null = everyone)
// example: kg ask who-supports-whom -p actor=government
WITH toLower(coalesce($actor, '')) AS wanted
MATCH (s:Actor)-[r:SUPPORTS]->(t:Actor)
WHERE wanted = ''
   OR toLower(s.name) CONTAINS wanted
   OR any(alias IN s.aliases WHERE toLower(alias) CONTAINS wanted)
   OR toLower(t.name) CONTAINS wanted
   OR any(alias IN t.aliases WHERE toLower(alias) CONTAINS wanted)
RETURN s.name AS supporter, t.name AS supported, r.sources AS sources, r.evidence AS evidence
ORDER BY toLower(s.name), s.id, toLower(t.name), t.id
