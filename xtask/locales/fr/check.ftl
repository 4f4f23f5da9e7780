# Les mots de `cargo xtask check` : l'en-tête, les notes, le bilan final et l'étape suivante.

check-header = { $checking } { $slug } — { $title }
check-checking = Vérification de
check-suite-differs = note : xtask/suites/{ $slug } diffère de la version du cours. La notation en CI utilise la suite du cours : vos modifications des tests n'y compteront pas.
check-refused = refusé : { $reason }
check-refused-summary = katas/{ $slug } ne peut pas être corrigé { $count ->
        [one] avec cette construction
       *[other] avec ces constructions
    } : elles pourraient exécuter du code hors du kata ou importer du code qui n'est pas le vôtre. { $count ->
        [one] Retirez-la
       *[other] Retirez-les
    }, puis relancez `cargo xtask check`.
check-errors-in-suite = note : certaines erreurs sont dans la suite cachée, qui appelle l'API de votre kata : gardez les noms et les signatures que le squelette vous a donnés (`cargo xtask reset` restaure le squelette après avoir sauvegardé votre version).
check-does-not-compile = katas/{ $slug } ne compile pas encore. Corrigez la première erreur ci-dessus, puis relancez `cargo xtask check`.
check-dependency-does-not-compile = katas/{ $dep }, sur lequel { $slug } s'appuie, ne compile pas : il exécute votre code de ce kata. Corrigez-le d'abord (`cargo xtask check { $dep }`), puis relancez `cargo xtask check { $slug }`.
check-warnings = note : { $count ->
        [one] { $count } avertissement du compilateur
       *[other] { $count } avertissements du compilateur
    } dans votre code (`cargo build -p { $package }` les affiche).
check-no-checks = la suite de `{ $slug }` ne contient aucune vérification : le kata est mal configuré (prévenez les auteurs du cours).
check-done = { $summary }. { $slug } est terminé !
check-unlocked =
    Débloqué : { $slug } — { $title }
      Lisez katas/{ $dir }/README.fr.md, remplissez katas/{ $dir }/src/lib.rs, puis `cargo xtask check`.
check-current-is = Votre kata en cours est { $slug } — `cargo xtask check`.
check-compare = Comparez avec le corrigé : `cargo xtask solution { $slug }` (solutions/{ $slug }/src/lib.rs).
check-support-edited = Les crates de support ({ $crates }) diffèrent de la version du cours. La notation utilise celles du cours, donc `check` ne corrige pas avec les vôtres. Restaurez-les : `git checkout -- { $paths }`.

next-tail = `cargo xtask hint` donne un coup de pouce ; `cargo xtask watch` revérifie à chaque sauvegarde.
next-after-timeouts = Ensuite : une vérification précédente ne s'est jamais terminée : corrigez d'abord la boucle ({ $skipped ->
        [one] { $skipped } vérification n'a pas démarré
       *[other] { $skipped } vérifications n'ont pas démarré
    }). { $where }
next-timeout = Ensuite : corrigez d'abord « { $check } » : elle ne s'est jamais terminée. { $where }
next-write-fn = Ensuite : écrivez `{ $function }` ({ $place }) ; le contrat est dans katas/{ $slug }/README.fr.md.
next-replace-todo = Ensuite : remplacez le todo!() en { $place }.
next-fix-first = Ensuite : corrigez d'abord « { $check } » : les vérifications ci-dessus vont de la plus simple à la plus difficile.
stuck-in = `{ $function }` tournait quand la vérification a été arrêtée ({ $place }) : cherchez-y une `loop` ou un `while` qui ne se termine jamais, ou un verrou jamais relâché.
stuck-somewhere = Cherchez une `loop` ou un `while` qui ne se termine jamais, ou un verrou jamais relâché, dans le code qu'appelle la vérification.
