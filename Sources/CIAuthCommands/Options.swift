import ArgumentParser
import CIAuthCore
import FIDO2

/// Where GitLab is and how to authenticate; shared by every command that talks to GitLab.
///
/// There is deliberately no `--token`: a token on the command line is visible to every user
/// of the machine through the process list. Use `CIAUTH_TOKEN`, `--token-file` or the config file.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("GitLab base URL, e.g. https://gitlab.example.com.", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("Read the GitLab token from this file (- for stdin).", valueName: "path"), completion: .file())
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Extra CA certificates (PEM) to trust for GitLab's TLS.", valueName: "path"), completion: .file())
    var caFile: String?
}

/// Which security keys to use.
struct DeviceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Security key address: a hidraw path, or unix:PATH for a virtual key. Repeatable; default: every connected key (or CIAUTH_DEVICE).",
            valueName: "address"
        )
    )
    var device: [String] = []

    /// A malformed address is a usage error (64) like any malformed value, not a key failure.
    func validate() throws {
        for text in device {
            do throws(FIDO2Error) {
                _ = try DeviceAddress(parsing: text)
            } catch {
                throw ValidationError("--device \(error.message)")
            }
        }
    }
}

/// How long a command that needs a touch waits for it.
struct TouchOptions: ParsableArguments {
    @Option(
        name: .customLong("touch-timeout"),
        help: ArgumentHelp("How long to wait for the touch, 1s to 10m (a bare number is seconds).", valueName: "duration"))
    var touchTimeoutText = "30s"

    /// Seconds; the grammar of every other duration, and a bare number of seconds as before.
    var touchTimeout: Int {
        if let seconds = Int(touchTimeoutText), touchTimeoutText.allSatisfy(\.isASCII) { return seconds }
        return DurationText.seconds(touchTimeoutText).map { Int(clamping: $0) } ?? 0
    }

    func validate() throws {
        guard (1...600).contains(touchTimeout) else {
            throw ValidationError("--touch-timeout takes a duration from 1s to 10m, such as 30s or 2m, got \"\(touchTimeoutText)\"")
        }
    }
}

/// Output conventions shared by every command that has a JSON form of its result.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print machine-readable JSON on stdout.")
    var json = false

    @OptionGroup var logging: VerboseOption

    var verbose: Bool { logging.verbose }
}

/// `-v`, shared by every command, including those whose output has no JSON form.
struct VerboseOption: ParsableArguments {
    @Flag(name: [.short, .long], help: "Log requests and device steps to stderr (secrets redacted).")
    var verbose = false
}
