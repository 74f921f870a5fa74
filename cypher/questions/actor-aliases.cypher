// title: The aliases merged into each actor
// answers: every actor with its kind, all surface forms merged into it and its roles, by name
// param: actor = null  (part of any name or alias of the actor, any case; null = every actor)
// example: kg ask actor-aliases -p actor="United Nations"
WITH toLower(coalesce($actor, '')) AS wanted
MATCH (a:Actor)
WHERE wanted = ''
   OR toLower(a.name) CONTAINS wanted
   OR any(alias IN a.aliases WHERE toLower(alias) CONTAINS wanted)
RETURN a.name AS actor, a.kind AS kind, size(a.aliases) AS forms, a.aliases AS aliases,
       a.roles AS roles, a.id AS id
ORDER BY toLower(a.name), a.id
