function __ciauth_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ciauth_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __ciauth_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __ciauth_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __ciauth_parse_tokens -S
    set -l unparsed_tokens (__ciauth_tokens -pc)
    switch $unparsed_tokens[1]
    case 'ciauth'
        __ciauth_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'auth'
            __ciauth_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'login'
                __ciauth_parse_subcommand 0 'server=' 'token-file=' 'ca-file=' 'v/verbose' 'version' 'h/help'
            case 'status'
                __ciauth_parse_subcommand 0 'server=' 'token-file=' 'ca-file=' 'json' 'v/verbose' 'version' 'h/help'
            end
        case 'enroll'
            __ciauth_parse_subcommand 0 'type=' 'resident' 'require-pin' 'application=' 'title=' 'expires-in=' 'import=' 'attestation-roots=' 'server=' 'token-file=' 'ca-file=' 'device=+' 'touch-timeout=' 'json' 'v/verbose' 'version' 'h/help'
        case 'approve'
            __ciauth_parse_subcommand 1 'project=' 'all-manual' 'job=+' 'y/yes' 'variable=' 'reason=' 'ttl=' 'max-ttl=' 'environment=' 'sign-only' 'format=' 'application=' 'server=' 'token-file=' 'ca-file=' 'device=+' 'touch-timeout=' 'json' 'v/verbose' 'version' 'h/help'
        case 'verify'
            __ciauth_parse_subcommand 0 'server=' 'project=' 'job-name=' 'environment=' 'variable=' 'policy-file=' 'allowed-signers=' 'approver=+' 'approver-group=+' 'read-token-variable=' 'approver-must-be-player' 'no-approver-must-be-player' 'require-uv' 'no-require-uv' 'max-age=' 'min-key-age=' 'allow-self-approval' 'no-allow-self-approval' 'audit-file=' 'dotenv=' 'ca-file=' 'proxy=' 'no-checkout' 'json' 'v/verbose' 'version' 'h/help'
        case 'gate'
            __ciauth_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'check'
                __ciauth_parse_subcommand 0 'policy=' 'id-token-file=' 'approval-file=' 'at=' 'v/verbose' 'json' 'version' 'h/help'
            case 'exec'
                __ciauth_parse_subcommand -r 1 'policy=' 'id-token-file=' 'approval-file=' 'at=' 'v/verbose' 'version' 'h/help'
            end
        case 'keys'
            __ciauth_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __ciauth_parse_subcommand 0 'user=' 'group=' 'all-types' 'server=' 'token-file=' 'ca-file=' 'json' 'v/verbose' 'version' 'h/help'
            case 'revoke'
                __ciauth_parse_subcommand -r 1 'user=' 'y/yes' 'server=' 'token-file=' 'ca-file=' 'json' 'v/verbose' 'version' 'h/help'
            case 'prune'
                __ciauth_parse_subcommand 0 'group=' 'expired' 'older-than=' 'owner-blocked' 'not-member-of=' 'min-access=' 'unused-since=' 'audit=+' 'title-match=' 'dry-run' 'y/yes' 'all-types' 'concurrency=' 'server=' 'token-file=' 'ca-file=' 'json' 'v/verbose' 'version' 'h/help'
            case 'export'
                __ciauth_parse_subcommand 0 'allowed-signers' 'group=' 'user=+' 'server=' 'token-file=' 'ca-file=' 'v/verbose' 'version' 'h/help'
            end
        case 'audit'
            __ciauth_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'verify'
                __ciauth_parse_subcommand -r 1 'allowed-signers=' 'server=' 'token-file=' 'ca-file=' 'json' 'v/verbose' 'version' 'h/help'
            end
        case 'devices'
            __ciauth_parse_subcommand 0 'device=+' 'json' 'v/verbose' 'version' 'h/help'
        case 'doctor'
            __ciauth_parse_subcommand 0 'project=' 'server=' 'token-file=' 'ca-file=' 'device=+' 'json' 'v/verbose' 'version' 'h/help'
        case 'help'
            __ciauth_parse_subcommand -r 1 'version'
        end
    end
end

function __ciauth_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __ciauth_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __ciauth_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __ciauth_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__ciauth_tokens -p)
    if test -z "$(__ciauth_tokens -t)"
        set -l index (count (__ciauth_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'ciauth' -f
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'auth' -d 'Log in to GitLab with a token, and show which server and token are in use.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'enroll' -d 'Create a credential on your security key and register it as a signing key on your GitLab profile.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'approve' -d 'Approve manual GitLab jobs with one touch of your security key, and play them.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'verify' -d 'Inside a CI job: verify that an enrolled person approved this job (fails closed).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'gate' -d 'At the deploy target: admit a job by its GitLab ID token and approval, under the target\'s own policy.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'keys' -d 'List, revoke, prune and export the security keys registered on GitLab profiles.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'audit' -d 'Re-check the audit records of verified approvals.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'devices' -d 'List connected security keys: address, product, AAGUID, FIDO versions, PIN, algorithms.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'doctor' -d 'Check libfido2, security keys and their permissions, GitLab, the token and its scopes, the clock, your credentials, and the project\'s pipeline-variables setting.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth auth" -eq 1' -fa 'login' -d 'Check a GitLab token and keep it, with the server, in ciauth\'s config.toml (mode 0600).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth auth" -eq 1' -fa 'status' -d 'Show the GitLab server and token in use, where each came from, the account, scopes and expiry.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth login" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth login" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth login" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth login" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth login" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth login" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth auth status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" type' -l 'type' -d 'Key type: ecdsa (ES256, default) or ed25519.' -rfka 'ecdsa ed25519'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" resident' -l 'resident' -d 'Store the credential on the key (discoverable); needs a PIN on most keys.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" require-pin' -l 'require-pin' -d 'Require the PIN (user verification) for every approval with this key.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" application' -l 'application' -d 'FIDO application, starting with ssh:.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" title' -l 'title' -d 'Title of the key on GitLab (default: ciauth HOSTNAME DATE).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" expires-in' -l 'expires-in' -d 'Let the key expire on GitLab after this long, e.g. 90d.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" import' -l 'import' -d 'Register and adopt an existing OpenSSH sk private key file instead.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" attestation-roots' -l 'attestation-roots' -d 'PEM file of attestation roots the key\'s certificate must chain to.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll"' -l 'device' -d 'Security key address: a hidraw path, or unix:PATH for a virtual key. Repeatable; default: every connected key (or CIAUTH_DEVICE).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" touch-timeout' -l 'touch-timeout' -d 'How long to wait for the touch, 1s to 10m (a bare number is seconds).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth enroll" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" project' -l 'project' -d 'Project id or full path (default: from the URL or the git remote).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" all-manual' -l 'all-manual' -d 'Approve every manual job of the pipeline (or those matching --job).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve"' -l 'job' -d 'Job name or glob pattern within the pipeline (repeatable).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" y yes' -s 'y' -l 'yes' -d 'Do not ask for confirmation (required without a terminal).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" variable' -l 'variable' -d 'CI variable that carries the approval.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" reason' -l 'reason' -d 'Why you approve; goes into the signed statement.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" ttl' -l 'ttl' -d 'How long the approval stays valid.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" max-ttl' -l 'max-ttl' -d 'Largest --ttl accepted (24h at most).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" environment' -l 'environment' -d 'Environment of the jobs GitLab shows no deployment for: none, or a name (GitLab cannot tell; required with --yes for such jobs).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" sign-only' -l 'sign-only' -d 'Print the approval on stdout instead of playing the job(s).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" format' -l 'format' -d 'With --sign-only: transport (the variable\'s value, default) or plain (statement and armored signature).' -rfka 'transport plain'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" application' -l 'application' -d 'Use only enrolled credentials of this FIDO application.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve"' -l 'device' -d 'Security key address: a hidraw path, or unix:PATH for a virtual key. Repeatable; default: every connected key (or CIAUTH_DEVICE).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" touch-timeout' -l 'touch-timeout' -d 'How long to wait for the touch, 1s to 10m (a bare number is seconds).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth approve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" server' -l 'server' -d 'The GitLab server this job must run on (required; a literal value).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" project' -l 'project' -d 'Pin the project: its path (group/project) or numeric id (required).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" job-name' -l 'job-name' -d 'Pin the name of the job being gated (this or --environment is required).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" environment' -l 'environment' -d 'Pin the job\'s deployment environment; the approval must name it (this or --job-name is required).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" variable' -l 'variable' -d 'The CI variable carrying the approval (default CIAUTH_APPROVAL).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" policy-file' -l 'policy-file' -d 'Policy file in the repository, read as committed at the pipeline\'s commit (default .ciauth.yml); an absolute path is a file of the job\'s image.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" allowed-signers' -l 'allowed-signers' -d 'Use this OpenSSH allowed_signers file instead of GitLab profiles (relative: as committed at the pipeline\'s commit; absolute: a file of the job\'s image).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify"' -l 'approver' -d 'Allow this username to approve; USERNAME#ID also pins the GitLab user id (repeatable).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify"' -l 'approver-group' -d 'Allow members of GROUP with at least LEVEL (default developer); repeatable.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" read-token-variable' -l 'read-token-variable' -d 'The CI variable holding a read_api token, used only to read the approver\'s account and keys, group members and the pipeline\'s creator.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" approver-must-be-player' -l 'approver-must-be-player' -d 'Require the approver to be the job\'s player (default on; --no-approver-must-be-player for bots playing a --sign-only approval).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" no-approver-must-be-player' -l 'no-approver-must-be-player' -d 'Require the approver to be the job\'s player (default on; --no-approver-must-be-player for bots playing a --sign-only approval).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" require-uv' -l 'require-uv' -d 'Require PIN or biometric verification in the signature (default off).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" no-require-uv' -l 'no-require-uv' -d 'Require PIN or biometric verification in the signature (default off).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" max-age' -l 'max-age' -d 'Refuse approvals issued longer ago than this (default 24h).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" min-key-age' -l 'min-key-age' -d 'Refuse keys registered more recently than this (default 0s).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" allow-self-approval' -l 'allow-self-approval' -d 'Allow the pipeline\'s creator to approve (default on; --no-allow-self-approval refuses it).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" no-allow-self-approval' -l 'no-allow-self-approval' -d 'Allow the pipeline\'s creator to approve (default on; --no-allow-self-approval refuses it).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" audit-file' -l 'audit-file' -d 'Write the audit record (JSON) here, accepted or not (default ciauth-audit.json, inside a CI job only).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" dotenv' -l 'dotenv' -d 'On success, write CIAUTH_* facts for later jobs as a dotenv file.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS, an absolute path of a file in the job\'s image (never SSL_CERT_FILE).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" proxy' -l 'proxy' -d 'Reach GitLab through this HTTP CONNECT proxy, http://[user:password@]host[:port] (never HTTPS_PROXY); empty for none.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" no-checkout' -l 'no-checkout' -d 'The job runs without a checkout (GIT_STRATEGY: none): skip the commit check; the policy must come from flags. Without this flag a missing work tree fails.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth gate" -eq 1' -fa 'check' -d 'Decide whether the job may pass; exit status 0 when it may (records the pass).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth gate" -eq 1' -fa 'exec' -d 'Run COMMAND only if the job passes the gate, with the verified facts in CIAUTH_* variables.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" policy' -l 'policy' -d 'The gate\'s policy file (default /etc/ciauth/gate.yml).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" id-token-file' -l 'id-token-file' -d 'Read the ID token from this file instead of stdin.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" approval-file' -l 'approval-file' -d 'Read the approval (transport value) from this file instead of stdin.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" at' -l 'at' -d 'Judge the time rules at this instant (RFC 3339, e.g. 2026-11-28T10:00:00Z) instead of now.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" json' -l 'json' -d 'Print one JSON object on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" policy' -l 'policy' -d 'The gate\'s policy file (default /etc/ciauth/gate.yml).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" id-token-file' -l 'id-token-file' -d 'Read the ID token from this file instead of stdin.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" approval-file' -l 'approval-file' -d 'Read the approval (transport value) from this file instead of stdin.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" at' -l 'at' -d 'Judge the time rules at this instant (RFC 3339, e.g. 2026-11-28T10:00:00Z) instead of now.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth gate exec" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth keys" -eq 1' -fa 'list' -d 'List security signing keys (yours by default, a user\'s, or every member\'s of a group).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth keys" -eq 1' -fa 'revoke' -d 'Delete keys from a GitLab profile, by key id or SHA256 fingerprint.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth keys" -eq 1' -fa 'prune' -d 'Revoke stale security keys of a group\'s members (administrator token).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth keys" -eq 1' -fa 'export' -d 'Print an OpenSSH allowed_signers file of active users\' unexpired security signing keys.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" user' -l 'user' -d 'List this user\'s keys.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" group' -l 'group' -d 'List the keys of every member of this group (full path).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" all-types' -l 'all-types' -d 'Include keys that are not security signing keys (plain SSH keys, authentication-only keys).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" user' -l 'user' -d 'The keys belong to this user (administrator token).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" y yes' -s 'y' -l 'yes' -d 'Do not ask for confirmation (required when stdin is not a terminal).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys revoke" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" group' -l 'group' -d 'The group whose members\' keys are examined (full path).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" expired' -l 'expired' -d 'Rule: the key\'s expiry date has passed.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" older-than' -l 'older-than' -d 'Rule: the key was added longer ago than this (e.g. 180d).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" owner-blocked' -l 'owner-blocked' -d 'Rule: the key\'s owner is not active (blocked, banned, deactivated).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" not-member-of' -l 'not-member-of' -d 'Rule: the owner is not a member of this group.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" min-access' -l 'min-access' -d 'With --not-member-of: members below this role count as non-members (e.g. developer).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" unused-since' -l 'unused-since' -d 'Rule: no accepted approval with the key in the audit records for this long (needs --audit).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune"' -l 'audit' -d 'Audit record files written by `ciauth verify`.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" title-match' -l 'title-match' -d 'Rule: the key\'s title matches this shell glob.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" dry-run' -l 'dry-run' -d 'Print the plan without revoking anything.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" y yes' -s 'y' -l 'yes' -d 'Revoke without asking (required when stdin is not a terminal).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" all-types' -l 'all-types' -d 'Also examine keys that are not security signing keys.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" concurrency' -l 'concurrency' -d 'Requests in flight at once.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys prune" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" allowed-signers' -l 'allowed-signers' -d 'Write the allowed_signers format (the only format; required for clarity).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" group' -l 'group' -d 'Export the keys of every member of this group.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export"' -l 'user' -d 'Export this user\'s keys (repeatable).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth keys export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth audit" -eq 1' -fa 'verify' -d 'Re-verify audit records against an allowed_signers snapshot or the approvers\' GitLab keys.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_positional "ciauth audit verify" -ge 1' -F
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" allowed-signers' -l 'allowed-signers' -d 'OpenSSH allowed_signers snapshot to verify against, offline.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth audit verify" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth devices"' -l 'device' -d 'Security key address: a hidraw path, or unix:PATH for a virtual key. Repeatable; default: every connected key (or CIAUTH_DEVICE).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth devices" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth devices" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth devices" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth devices" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" project' -l 'project' -d 'Also check this project\'s "minimum role to use pipeline variables" against you.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" server' -l 'server' -d 'GitLab base URL, e.g. https://gitlab.example.com.' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" token-file' -l 'token-file' -d 'Read the GitLab token from this file (- for stdin).' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" ca-file' -l 'ca-file' -d 'Extra CA certificates (PEM) to trust for GitLab\'s TLS.' -rF
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor"' -l 'device' -d 'Security key address: a hidraw path, or unix:PATH for a virtual key. Repeatable; default: every connected key (or CIAUTH_DEVICE).' -rfka ''
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" json' -l 'json' -d 'Print machine-readable JSON on stdout.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" v verbose' -s 'v' -l 'verbose' -d 'Log requests and device steps to stderr (secrets redacted).'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" version' -l 'version' -d 'Show the version.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth doctor" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'ciauth' -n '__ciauth_should_offer_completions_for_flags_or_options "ciauth help" version' -l 'version' -d 'Show the version.'
