# bash completion for partsim (installed as
# share/bash-completion/completions/partsim).  The candidates come from the
# binary itself (`partsim __complete WORDS...`: commands, each command's
# options and their values, preset and zoo names), so they follow the binary
# being completed.  Where partsim offers nothing (a SCENARIO, a path), bash
# completes file names.
_partsim()
{
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<< "$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    local cur=${words[${#words[@]}-1]}
    local IFS=$'\n'
    COMPREPLY=($("$1" __complete "${words[@]:1}" 2>/dev/null))
    # bash cuts "--format=c" at '=' and completes only what follows it
    if [[ $cur == -*=* && $COMP_WORDBREAKS == *=* ]]; then
        COMPREPLY=("${COMPREPLY[@]#"${cur%%=*}="}")
    fi
    # "--cfg=" wants its value right after the '='
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]]; then
        compopt -o nospace 2>/dev/null
    fi
}
complete -o default -F _partsim partsim
