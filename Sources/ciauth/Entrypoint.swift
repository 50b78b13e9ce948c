import CIAuthCommands

/// Thin executable: everything else lives in CIAuthCommands so tests can call it in-process.
@main
enum Entrypoint {
    static func main() async {
        await CIAuth.main()
    }
}
