import Testing

@testable import CIAuthCommands

/// What reaches the person's terminal cannot carry escape sequences or invisible reordering.
@Suite struct TerminalTextTests {
    @Test(arguments: [
        ("deploy\u{1B}[2K\u{1B}[1Gok  approved", "deploy[2K[1Gok  approved"),  // ESC removed: no cursor moves
        ("prod\u{202E}dorp", "proddorp"),  // right-to-left override
        ("a\u{200B}b\u{2066}c", "abc"),  // zero-width space, isolate
        ("bell\u{07} del\u{7F} c1\u{9B}31m", "bell del c131m"),
        ("line one\nline two\ttab", "line one\nline two\ttab"),
        ("título ✓ 東京", "título ✓ 東京"),
    ])
    func controlAndFormatCharactersAreRemoved(_ input: String, _ expected: String) {
        #expect(Terminal.safe(input) == expected)
    }

    @Test func tableCellsAreMadeSafe() {
        let table = KeysOutput.table(["TITLE"], [["laptop\u{1B}]0;owned\u{07}"]])
        #expect(table == "TITLE\nlaptop]0;owned")
    }
}
