#!/bin/bash

__ciauth_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__ciauth_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__ciauth_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__ciauth_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_ciauth() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __ciauth_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    auth|enroll|approve|verify|gate|keys|audit|devices|doctor|help)
        # Offer subcommand argument completions
        "_ciauth_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'auth enroll approve verify gate keys audit devices doctor help' -- "${cur}"))
        ;;
    esac
}

_ciauth_auth() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ciauth_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    login|status)
        # Offer subcommand argument completions
        "_ciauth_auth_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'login status' -- "${cur}"))
        ;;
    esac
}

_ciauth_auth_login() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --token-file --ca-file)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_auth_status() {
    repeating_flags=()
    non_repeating_flags=(--json -v --verbose --version -h --help)
    repeating_options=()
    non_repeating_options=(--server --token-file --ca-file)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_enroll() {
    repeating_flags=()
    non_repeating_flags=(--resident --require-pin --json -v --verbose --version -h --help)
    repeating_options=(--device)
    non_repeating_options=(--type --application --title --expires-in --import --attestation-roots --server --token-file --ca-file --touch-timeout)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--type')
        __ciauth_add_completions -W 'ecdsa'$'\n''ed25519'
        return
        ;;
    '--application')
        return
        ;;
    '--title')
        return
        ;;
    '--expires-in')
        return
        ;;
    '--import')
        __ciauth_add_completions -f
        return
        ;;
    '--attestation-roots')
        __ciauth_add_completions -f
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    '--device')
        return
        ;;
    '--touch-timeout')
        return
        ;;
    esac
}

_ciauth_approve() {
    repeating_flags=()
    non_repeating_flags=(--all-manual -y --yes --sign-only --json -v --verbose --version -h --help)
    repeating_options=(--job --device)
    non_repeating_options=(--project --variable --reason --ttl --max-ttl --environment --format --application --server --token-file --ca-file --touch-timeout)
    __ciauth_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--project')
        return
        ;;
    '--job')
        return
        ;;
    '--variable')
        return
        ;;
    '--reason')
        return
        ;;
    '--ttl')
        return
        ;;
    '--max-ttl')
        return
        ;;
    '--environment')
        return
        ;;
    '--format')
        __ciauth_add_completions -W 'transport'$'\n''plain'
        return
        ;;
    '--application')
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    '--device')
        return
        ;;
    '--touch-timeout')
        return
        ;;
    esac
}

_ciauth_verify() {
    repeating_flags=()
    non_repeating_flags=(--approver-must-be-player --no-approver-must-be-player --require-uv --no-require-uv --allow-self-approval --no-allow-self-approval --no-checkout --json -v --verbose --version -h --help)
    repeating_options=(--approver --approver-group)
    non_repeating_options=(--server --project --job-name --environment --variable --policy-file --allowed-signers --read-token-variable --max-age --min-key-age --audit-file --dotenv --ca-file --proxy)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--server')
        return
        ;;
    '--project')
        return
        ;;
    '--job-name')
        return
        ;;
    '--environment')
        return
        ;;
    '--variable')
        return
        ;;
    '--policy-file')
        __ciauth_add_completions -f
        return
        ;;
    '--allowed-signers')
        __ciauth_add_completions -f
        return
        ;;
    '--approver')
        return
        ;;
    '--approver-group')
        return
        ;;
    '--read-token-variable')
        return
        ;;
    '--max-age')
        return
        ;;
    '--min-key-age')
        return
        ;;
    '--audit-file')
        __ciauth_add_completions -f
        return
        ;;
    '--dotenv')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    '--proxy')
        return
        ;;
    esac
}

_ciauth_gate() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ciauth_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    check|exec)
        # Offer subcommand argument completions
        "_ciauth_gate_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'check exec' -- "${cur}"))
        ;;
    esac
}

_ciauth_gate_check() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --json --version -h --help)
    repeating_options=()
    non_repeating_options=(--policy --id-token-file --approval-file --at)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--policy')
        __ciauth_add_completions -f
        return
        ;;
    '--id-token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--approval-file')
        __ciauth_add_completions -f
        return
        ;;
    '--at')
        return
        ;;
    esac
}

_ciauth_gate_exec() {
    repeating_flags=()
    non_repeating_flags=(-v --verbose --version -h --help)
    repeating_options=()
    non_repeating_options=(--policy --id-token-file --approval-file --at)
    __ciauth_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--policy')
        __ciauth_add_completions -f
        return
        ;;
    '--id-token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--approval-file')
        __ciauth_add_completions -f
        return
        ;;
    '--at')
        return
        ;;
    esac
}

_ciauth_keys() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ciauth_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    list|revoke|prune|export)
        # Offer subcommand argument completions
        "_ciauth_keys_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'list revoke prune export' -- "${cur}"))
        ;;
    esac
}

_ciauth_keys_list() {
    repeating_flags=()
    non_repeating_flags=(--all-types --json -v --verbose --version -h --help)
    repeating_options=()
    non_repeating_options=(--user --group --server --token-file --ca-file)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--user')
        return
        ;;
    '--group')
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_keys_revoke() {
    repeating_flags=()
    non_repeating_flags=(-y --yes --json -v --verbose --version -h --help)
    repeating_options=()
    non_repeating_options=(--user --server --token-file --ca-file)
    __ciauth_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--user')
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_keys_prune() {
    repeating_flags=()
    non_repeating_flags=(--expired --owner-blocked --dry-run -y --yes --all-types --json -v --verbose --version -h --help)
    repeating_options=(--audit)
    non_repeating_options=(--group --older-than --not-member-of --min-access --unused-since --title-match --concurrency --server --token-file --ca-file)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--group')
        return
        ;;
    '--older-than')
        return
        ;;
    '--not-member-of')
        return
        ;;
    '--min-access')
        return
        ;;
    '--unused-since')
        return
        ;;
    '--audit')
        __ciauth_add_completions -f
        return
        ;;
    '--title-match')
        return
        ;;
    '--concurrency')
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_keys_export() {
    repeating_flags=()
    non_repeating_flags=(--allowed-signers -v --verbose --version -h --help)
    repeating_options=(--user)
    non_repeating_options=(--group --server --token-file --ca-file)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--group')
        return
        ;;
    '--user')
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_audit() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __ciauth_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    verify)
        # Offer subcommand argument completions
        "_ciauth_audit_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'verify' -- "${cur}"))
        ;;
    esac
}

_ciauth_audit_verify() {
    repeating_flags=()
    non_repeating_flags=(--json -v --verbose --version -h --help)
    repeating_options=()
    non_repeating_options=(--allowed-signers --server --token-file --ca-file)
    __ciauth_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--allowed-signers')
        __ciauth_add_completions -f
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __ciauth_add_completions -f
        return
        ;;
    esac
}

_ciauth_devices() {
    repeating_flags=()
    non_repeating_flags=(--json -v --verbose --version -h --help)
    repeating_options=(--device)
    non_repeating_options=()
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--device')
        return
        ;;
    esac
}

_ciauth_doctor() {
    repeating_flags=()
    non_repeating_flags=(--json -v --verbose --version -h --help)
    repeating_options=(--device)
    non_repeating_options=(--project --server --token-file --ca-file)
    __ciauth_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--project')
        return
        ;;
    '--server')
        return
        ;;
    '--token-file')
        __ciauth_add_completions -f
        return
        ;;
    '--ca-file')
        __ciauth_add_completions -f
        return
        ;;
    '--device')
        return
        ;;
    esac
}

_ciauth_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __ciauth_offer_flags_options -1
}

complete -o filenames -F _ciauth ciauth
