// title: Who represents whom
// answers: each party with the people who speak or negotiate for it, their roles and the supporting articles
// param: actor = null  (part of any name or alias of either side, any case; null = everyone)
// example: kg ask who-represents-whom -p actor="United Nations"
WITH toLower(coalesce($actor, '')) AS wanted
MATCH (rep:Actor)-[r:REPRESENTS]->(p:Actor)
WHERE wanted = ''
   OR toLower(rep.name) CONTAINS wanted
   OR any(alias IN rep.aliases WHERE toLower(alias) CONTAINS wanted)
   OR toLower(p.name) CONTAINS wanted
   OR any(alias IN p.aliases WHERE toLower(alias) CONTAINS wanted)
RETURN p.name AS party, rep.name AS representative, rep.roles AS roles, r.sources AS sources
ORDER BY toLower(p.name), p.id, toLower(rep.name), rep.id
