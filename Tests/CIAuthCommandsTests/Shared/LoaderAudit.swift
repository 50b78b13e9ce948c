import ChildProcess
import Foundation
import Testing

/// Watches what the real binary loads through the dynamic loader's audit interface (LD_AUDIT,
/// rtld-audit(7)): a small audit library, compiled here, logs every object the process loads and,
/// when asked, makes one library unfindable, as on a machine where it is not installed.
struct LoaderAudit {
    static let source = """
        #define _GNU_SOURCE
        #include <link.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        unsigned int la_version(unsigned int version) { (void)version; return LAV_CURRENT; }
        char *la_objsearch(const char *name, uintptr_t *cookie, unsigned int flag) {
            (void)cookie; (void)flag;
            const char *hidden = getenv("AUDIT_HIDE");
            if (hidden != NULL && hidden[0] != '\\0' && strstr(name, hidden) != NULL) return NULL;
            return (char *)name;
        }
        unsigned int la_objopen(struct link_map *map, Lmid_t lmid, uintptr_t *cookie) {
            (void)lmid; (void)cookie;
            const char *log = getenv("AUDIT_LOG");
            FILE *file = log != NULL ? fopen(log, "a") : NULL;
            if (file != NULL) { fprintf(file, "%s\\n", map->l_name); fclose(file); }
            return 0;
        }
        """

    let directory: URL
    private var log: URL { directory.appendingPathComponent("loaded.log") }

    /// Compiles the audit library into a fresh directory; `remove()` deletes it.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ciauth-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent("audit.c")
        try Data(Self.source.utf8).write(to: source)
        let compiled = try ChildProcess.run("/usr/bin/env", ["cc", "-shared", "-fPIC", "-o", library.path, source.path])
        try #require(compiled.exit.status == 0, "cc failed: \(String(decoding: compiled.stderr, as: UTF8.self))")
    }

    var library: URL { directory.appendingPathComponent("audit.so") }

    /// The environment that audits a process; `hiding` (e.g. "libsqlite3.so") is made unfindable.
    func environment(hiding: String? = nil) -> [String: String] {
        var environment = ["LD_AUDIT": library.path, "AUDIT_LOG": log.path]
        if let hiding { environment["AUDIT_HIDE"] = hiding }
        return environment
    }

    /// The objects loaded so far by the audited processes; clears the log.
    func loaded() -> [String] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: log)
        return text.split(separator: "\n").map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
