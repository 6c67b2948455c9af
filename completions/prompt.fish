complete --keep-order --exclusive --command prompt --arguments "(COMPLETE=fish prompt -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
