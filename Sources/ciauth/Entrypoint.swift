import CIAuthCommands

/// Thin executable: everything else lives in CIAuthCommands so tests can call it in-process.
/// A synchronous entry: commands that never wait run without starting the concurrency runtime.
@main
enum Entrypoint {
    static func main() {
        CIAuth.runFromCommandLine()
    }
}
