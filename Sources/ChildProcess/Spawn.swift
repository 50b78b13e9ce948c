import CSpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ChildProcess {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable, Equatable {
        /// `/dev/null`.
        case null
        /// This process's own stream.
        case inherit
        /// A pipe whose other end the `Child` holds.
        case pipe
        /// A file: read for standard input; created or truncated (0600) for the outputs.
        case file(String)
        /// Standard error only: wherever standard output goes.
        case stdout
    }

    /// A child that could not be started.
    public struct SpawnError: Error, CustomStringConvertible, Sendable {
        public let executable: String
        public let code: Int32

        public var description: String {
            "cannot start \(executable): \(String(cString: strerror(code)))"
        }
    }

    /// Starts `executable` (an absolute path). The child gets only the three streams named here
    /// (every other descriptor is closed), default signal handling and an empty signal mask, and,
    /// with `newProcessGroup`, a process group of its own.
    public static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        directory: String? = nil, stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null,
        newProcessGroup: Bool = false
    ) throws(SpawnError) -> Child {
        var plan = SpawnPlan()
        defer { plan.release() }
        do {
            try plan.route(stdin, to: 0)
            try plan.route(stdout, to: 1)
            try plan.route(stderr, to: 2)
            try plan.prepare(directory: directory, newProcessGroup: newProcessGroup)
            let pid = try plan.spawn(executable, arguments, environment: environment)
            let ends = plan.takeParentEnds()
            return Child(pid: pid, leadsGroup: newProcessGroup, stdin: ends[0], stdout: ends[1], stderr: ends[2])
        } catch {
            throw SpawnError(executable: executable, code: error.code)
        }
    }
}

private struct SpawnFailure: Error {
    let code: Int32
}

/// The file actions and attributes of one `posix_spawn`, and the pipes made for it.
private struct SpawnPlan {
    var actions = posix_spawn_file_actions_t()
    var attributes = posix_spawnattr_t()
    /// Per stream: this side of a pipe, and the child's side (closed here after the spawn).
    var parentEnds: [Int32?] = [nil, nil, nil]
    var childEnds: [Int32] = []

    init() {
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
    }

    mutating func route(_ stream: ChildProcess.Stream, to target: Int32) throws(SpawnFailure) {
        switch stream {
        case .inherit:
            return
        case .null:
            try check(posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0))
        case .file(let path):
            let flags = target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
            try check(posix_spawn_file_actions_addopen(&actions, target, path, flags, 0o600))
        case .stdout:
            try check(posix_spawn_file_actions_adddup2(&actions, 1, target))
        case .pipe:
            var ends: [Int32] = [-1, -1]
            guard cspawn_pipe_cloexec(&ends) == 0 else { throw SpawnFailure(code: errno) }
            // The child reads standard input from the read end and writes the outputs to the write end.
            let (childEnd, parentEnd) = target == 0 ? (ends[0], ends[1]) : (ends[1], ends[0])
            childEnds.append(childEnd)
            parentEnds[Int(target)] = parentEnd
            try check(posix_spawn_file_actions_adddup2(&actions, childEnd, target))
        }
    }

    mutating func prepare(directory: String?, newProcessGroup: Bool) throws(SpawnFailure) {
        try check(cspawn_add_close_from(&actions, 3))
        if let directory { try check(cspawn_add_chdir(&actions, directory)) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigemptyset(&all)
        for signal in Int32(1)..<32 where signal != SIGKILL && signal != SIGSTOP { sigaddset(&all, signal) }
        try check(posix_spawnattr_setsigmask(&attributes, &none))
        try check(posix_spawnattr_setsigdefault(&attributes, &all))
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            try check(posix_spawnattr_setpgroup(&attributes, 0))
        }
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)))
    }

    mutating func spawn(_ executable: String, _ arguments: [String], environment: [String: String]?) throws(SpawnFailure) -> pid_t {
        let argv = CStringArray([executable] + arguments)
        let envp = environment.map { CStringArray($0.map { "\($0.key)=\($0.value)" }) }
        defer {
            argv.free()
            envp?.free()
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv.pointers, envp?.pointers ?? environ)
        for fd in childEnds { close(fd) }
        childEnds = []
        guard result == 0 else { throw SpawnFailure(code: result) }
        return pid
    }

    /// This side of the pipes, now owned by the caller.
    mutating func takeParentEnds() -> [Int32?] {
        defer { parentEnds = [nil, nil, nil] }
        return parentEnds
    }

    mutating func release() {
        for fd in childEnds { close(fd) }
        for fd in parentEnds.compactMap({ $0 }) { close(fd) }
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attributes)
    }

    private func check(_ result: Int32) throws(SpawnFailure) {
        guard result == 0 else { throw SpawnFailure(code: result) }
    }
}

/// A NULL-terminated array of C strings for `argv`/`envp`.
private struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
        pointers[strings.count] = nil
    }

    func free() {
        var index = 0
        while let pointer = pointers[index] {
            Glibc.free(pointer)
            index += 1
        }
        pointers.deallocate()
    }
}
