# Les mots des commandes de l'apprenant autres que `check` : l'écran d'état, les indices,
# list, watch, solution, et les erreurs qu'un apprenant rencontre. Chaque message a son
# jumeau anglais dans ../en/commands.ftl, avec les mêmes variables (les tests tidy le vérifient).

error-prefix = erreur : { $message }
all-done =
    Vous avez réussi tous les katas du cursus. Bravo !
    Revenez sur n'importe lequel avec `cargo xtask check SLUG`, ou comparez avec les corrigés : `cargo xtask solution SLUG`.
progress-unknown-slugs = note : votre fichier de progression mentionne { $slugs }, que le cursus ne liste plus (renommés ou retirés) ; ces entrées sont conservées telles quelles.
kata-locked =
    `{ $slug }` est verrouillé : terminez d'abord `{ $current }` (`cargo xtask check`).
    Pour le lancer quand même : `cargo xtask { $command } { $slug } --force`.
no-such-kata-did-you-mean = il n'y a pas de kata `{ $typed }`. Vouliez-vous dire `{ $closest }` ? (`cargo xtask list` les montre tous)
no-such-kata = il n'y a pas de kata `{ $typed }`. `cargo xtask list` les montre tous.

status-progress = { $name }  [{ $bar }]  { $done }/{ $total } katas terminés
status-current = Kata en cours : { $slug } — { $title } { $topic }
status-read = { "  " }Lisez { $dir }/README.fr.md, remplissez les todo!() de { $dir }/src/lib.rs, puis lancez :
status-check = { "    " }{ $command }   pour le corriger (ou `cargo xtask watch` pour revérifier à chaque sauvegarde)
status-hint = { "    " }{ $command }    bloqué ? un indice par appel

hint-label = Indice { $number } sur { $total } :
hint-again = Relancez `cargo xtask hint` pour un indice plus précis.
hint-last = C'est le dernier indice. Le corrigé s'ouvre une fois que `cargo xtask check { $slug }` passe.

list-done = terminé
list-changed = modifié
list-current = en cours
list-locked = verrouillé
list-legend = modifié = réussi, puis modifié depuis ; `cargo xtask check SLUG` le corrige à nouveau.

watch-verdict-time = (verdict en { $seconds } s)
watch-watching = Surveillance de katas/{ $slug }/ — sauvegardez un fichier pour revérifier. Ctrl-C pour arrêter.
watch-polling = note : les événements de fichiers sont indisponibles ({ $error }) ; interrogation périodique à la place.

solution-not-passed =
    le corrigé de `{ $slug }` s'ouvre une fois le kata réussi : lancez `cargo xtask check { $slug }`.
    Bloqué ? `cargo xtask hint { $slug }` donne un indice par appel.
solution-changed = votre code pour `{ $slug }` n'est pas celui qui a réussi (il a changé depuis, ou le fichier de progression ne lui correspond pas) : relancez `cargo xtask check { $slug }`, puis redemandez le corrigé.
solution-absent = les corrigés ne font pas partie de cette copie du cours ; demandez à votre enseignant.
solution-header = // { $path } — le corrigé
solution-benches = Benchmarks (s'il y en a) : `cargo xtask bench { $slug }` (le vôtre face à la solution de référence), ou `cargo bench -p { $package }` (la référence seule).

reset-no-git = reset a besoin de git, qui n'a pas pu s'exécuter : { $error }
reset-no-stub = git n'a aucun squelette enregistré pour { $dir } à { $rev } ; rien à restaurer.
reset-confirm-with-yes = reset remplace votre code dans { $dir } ; confirmez avec `cargo xtask reset { $slug } --yes`.
reset-ask = Remplacer votre code dans { $dir } par le squelette de git ({ $rev }) ? Votre version est d'abord sauvegardée. [o/N]
reset-nothing-changed = Rien n'a changé.
reset-cannot-back-up = impossible de sauvegarder { $dir } ; rien n'a été modifié
reset-git-failed =
    git n'a pas pu restaurer { $dir } : { $error }
    Votre version est en sécurité dans { $backup }.
reset-done = { $dir } restauré depuis { $rev }. Votre version précédente est dans { $backup }.
