# Les mots du rapport de vérification : étiquettes de verdict, une ligne par vérification et
# ce qui s'est passé, la progression de la compilation, le décompte.

# La colonne d'état : 9 caractères au plus chacune.
verdict-pass = RÉUSSI
verdict-fail = ÉCHEC
verdict-not-started = À FAIRE
verdict-timeout = TIMEOUT
verdict-crash = PLANTÉ
verdict-no-result = NON JUGÉ
verdict-skipped = NON LANCÉ

tally-pass = { $count } { $count ->
        [one] vérification
       *[other] vérifications
    } sur { $total } { $count ->
        [one] réussie
       *[other] réussies
    }
tally-not-started = { $count } { $count ->
        [one] non commencée
       *[other] non commencées
    }
tally-fail = { $count } en échec
tally-timeout = { $count } { $count ->
        [one] hors délai
       *[other] hors délai
    }
tally-crash = { $count } { $count ->
        [one] plantée
       *[other] plantées
    }
tally-no-result = { $count } sans résultat
tally-skipped = { $count } { $count ->
        [one] non lancée
       *[other] non lancées
    }

report-same-failure = → le même échec que « { $first } » ci-dessus
report-seconds = { "  " }({ $seconds } s)
report-not-written = → `{ $function }` n'est pas encore écrite ({ $place })
report-todo-reached = → un todo!() est atteint en { $place }
report-more-lines = … { $count } lignes de plus
report-minimal-input = entrée minimale qui échoue :
report-at-in = en { $place } (dans `{ $function }`)
report-at = en { $place }
report-killed-after = tué après { $seconds } s : probablement un interblocage (deadlock) ou une boucle infinie.
report-was-running = → `{ $function }` tournait quand il a été arrêté ({ $place })
report-crashed = le processus de test a planté : { $what }.
report-last-output = dernière sortie :
report-cases = ({ $count } cas)

skip-after-a-failure = non lancée : une vérification précédente a échoué
skip-after-timeouts = non lancée : { $timeouts } vérifications précédentes ne se sont jamais terminées (probablement une boucle infinie ou un interblocage que toutes atteignent), donc le correcteur a cessé d'en lancer de nouvelles
skip-budget-spent = non lancée : le budget de temps du kata ({ $seconds } s) était épuisé avant qu'elle puisse démarrer (des vérifications précédentes étaient lentes ou ne se sont jamais terminées)
skipped-after-timeouts = { $count ->
        [one] { $count } autre vérification non lancée
       *[other] { $count } autres vérifications non lancées
    } : { $timeouts } vérifications précédentes ne se sont jamais terminées, donc le correcteur s'est arrêté là. Corrigez d'abord la boucle.
skipped-budget-spent = { $count ->
        [one] { $count } autre vérification non lancée
       *[other] { $count } autres vérifications non lancées
    } : le budget de temps du kata ({ $seconds } s) est épuisé.
skipped-after-a-failure = { $count ->
        [one] { $count } autre vérification non lancée
       *[other] { $count } autres vérifications non lancées
    } après un échec.

build-first-loom = Première compilation des modèles loom (une compilation optimisée de loom et des dépendances de test) : cela prend quelques minutes, davantage sur une machine petite ou chargée ; ensuite, une vérification loom ne recompile que votre crate.
build-first = Première compilation des tests (les dépendances de test ne sont compilées qu'une fois) : cela prend une minute ou plus selon la machine ; ensuite, une vérification ne recompile que votre crate et prend environ une seconde.
build-crates-loom = { $normal } crates + { $loom } pour loom
build-crates = { $normal } crates
build-status = { "  " }compilation ({ $elapsed }, { $counts }) : { $what }
build-still = { "  " }compilation en cours ({ $elapsed }, { $counts } compilées) ; maintenant : { $what }
build-checks = { $count } vérifications
build-checks-loom = { $count } vérifications, dont { $loom } modèles loom (chacun explore tous les entrelacements : de quelques secondes à quelques minutes)
build-done = Compilé en { $elapsed }. Lancement de { $next }.
run-status = { "  " }vérifications : { $done } sur { $total } faites ; la suivante dans l'ordre : { $next }
run-status-loom = { "  " }vérifications : { $done } sur { $total } faites ; la suivante dans l'ordre : { $next } (modèle loom)
run-loom-header = { "  " }(vérificateur de modèles loom)

compile-more-errors = … et { $count ->
        [one] { $count } autre erreur
       *[other] { $count } autres erreurs
    } (les premières causent souvent les suivantes).
compile-cargo-failed = cargo n'a pas pu compiler les tests :
