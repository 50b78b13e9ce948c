import CSQLite
import CSQLiteLoader
import Foundation

/// How often each job passed this gate: an SQLite database file (WAL journal, synchronous
/// writes), so a crash never loses a recorded pass and concurrent gate processes on one host
/// take turns through SQLite's write lock. A pass is recorded in one `BEGIN IMMEDIATE`
/// transaction that counts the job's passes and adds one only below the policy's limit; the
/// primary key makes a second row for the same pass impossible even so.
///
/// Durability is what stops a replay: `synchronous=FULL` syncs the write-ahead log before the
/// commit returns, so a pass recorded before the command ran survives a crash or power loss.
/// (`synchronous=NORMAL` would sync only at checkpoints, and a pass lost to a power cut would
/// let the same token and approval pass again.) That one sync per pass is the only one: each
/// gate process is a short-lived last connection, which by default would checkpoint and delete
/// the log on close (two more syncs, a directory sync when the next process creates it again).
/// The log is kept instead and read back by the next process; once it is long, the process that
/// just recorded a pass folds it into the database and empties it (`checkpointIfLong`). An
/// existing log is opened as existing, so that SQLite does not sync the directory for it
/// (`ciauth_sqlite3_existing_wal_vfs`). SQLite itself is opened on first use (`GatePassStoreLibrary`).
final class GatePassStore {
    private var database: OpaquePointer?
    private let logPath: String

    struct Pass: Sendable {
        var gate: String
        var server: String
        var jobID: Int
        var pipelineID: Int
        var projectID: Int
        var approver: String
        var nonce: String
        var at: Int64
    }

    init(path: String) throws(GateFailure) {
        // First, before anything is initialised: no SQLite call (deinit's included) without SQLite.
        try GatePassStoreLibrary.require()
        logPath = path + "-wal"
        try GatePassStoreFiles.prepare(path)
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(path, &database, flags, ciauth_sqlite3_existing_wal_vfs()) == SQLITE_OK else {
            let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(database)
            database = nil
            throw GateFailure(.passStoreFailed, "cannot open the pass store \(path): \(message)")
        }
        sqlite3_busy_timeout(database, 15_000)
        guard ciauth_sqlite3_no_checkpoint_on_close(database) == SQLITE_OK else { throw failure("configuring the connection") }
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        // SQLite's own checkpoints after a commit would not empty the log: each process rebuilds
        // the log's index, forgetting what an earlier one checkpointed (`checkpointIfLong`).
        try execute("PRAGMA wal_autocheckpoint=0")
        try execute("""
            CREATE TABLE IF NOT EXISTS passes (
              gate TEXT NOT NULL, server TEXT NOT NULL, job_id INTEGER NOT NULL, pass INTEGER NOT NULL,
              pipeline_id INTEGER NOT NULL, project_id INTEGER NOT NULL, approver TEXT NOT NULL, nonce TEXT NOT NULL,
              passed_at INTEGER NOT NULL, PRIMARY KEY (gate, server, job_id, pass))
            """)
    }

    /// Small enough that the next process reads the log back quickly (about 2 pages per pass),
    /// large enough that the checkpoint's syncs come once per dozens of passes.
    static let checkpointPages = 100
    static let pageBytes = 4096

    deinit {
        if let database { sqlite3_close(database) }
    }

    /// Records one pass of the job; throws `already-passed` when it used up its passes
    /// (`limit` 0: unlimited). Returns the pass's number, from 1.
    func record(_ pass: Pass, limit: Int) throws(GateFailure) -> Int {
        try execute("BEGIN IMMEDIATE")
        do throws(GateFailure) {
            let count = try passes(gate: pass.gate, server: pass.server, jobID: pass.jobID)
            if limit > 0, count >= limit {
                throw GateFailure(
                    .alreadyPassed,
                    "job \(pass.jobID) already passed this gate \(count) time(s); the policy allows \(limit): approve and run a new job")
            }
            try insert(pass, number: count + 1)
            try execute("COMMIT")
            checkpointIfLong()
            return count + 1
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func passes(gate: String, server: String, jobID: Int) throws(GateFailure) -> Int {
        let statement = try prepare("SELECT COUNT(*) FROM passes WHERE gate = ?1 AND server = ?2 AND job_id = ?3")
        defer { sqlite3_finalize(statement) }
        bind(statement, 1, gate)
        bind(statement, 2, server)
        sqlite3_bind_int64(statement, 3, Int64(jobID))
        guard sqlite3_step(statement) == SQLITE_ROW else { throw failure("counting passes") }
        return Int(sqlite3_column_int64(statement, 0))
    }

    private func insert(_ pass: Pass, number: Int) throws(GateFailure) {
        let statement = try prepare("""
            INSERT INTO passes (gate, server, job_id, pass, pipeline_id, project_id, approver, nonce, passed_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        defer { sqlite3_finalize(statement) }
        bind(statement, 1, pass.gate)
        bind(statement, 2, pass.server)
        sqlite3_bind_int64(statement, 3, Int64(pass.jobID))
        sqlite3_bind_int64(statement, 4, Int64(number))
        sqlite3_bind_int64(statement, 5, Int64(pass.pipelineID))
        sqlite3_bind_int64(statement, 6, Int64(pass.projectID))
        bind(statement, 7, pass.approver)
        bind(statement, 8, pass.nonce)
        sqlite3_bind_int64(statement, 9, pass.at)
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure("recording the pass") }
    }

    /// Once the log holds `checkpointPages` pages, copies them into the database and truncates
    /// the log (SQLite syncs the log, then the database, before truncating). The pass is already
    /// durable in the log, so a checkpoint that fails or finds the store busy is left to the
    /// next pass.
    private func checkpointIfLong() {
        var info = stat()
        guard stat(logPath, &info) == 0, info.st_size >= Self.checkpointPages * Self.pageBytes else { return }
        _ = sqlite3_wal_checkpoint_v2(database, nil, SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
    }

    /// An integer setting of the connection (`PRAGMA name`), for checking the durability settings.
    func setting(_ name: String) throws(GateFailure) -> Int64 {
        let statement = try prepare("PRAGMA \(name)")
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw failure("reading \(name)") }
        return sqlite3_column_int64(statement, 0)
    }

    private func prepare(_ sql: String) throws(GateFailure) -> OpaquePointer? {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("preparing a query") }
        return statement
    }

    private func bind(_ statement: OpaquePointer?, _ index: Int32, _ text: String) {
        // SQLITE_TRANSIENT: SQLite copies the bytes before this call returns.
        sqlite3_bind_text(statement, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
    }

    private func execute(_ sql: String) throws(GateFailure) {
        guard sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    private func failure(_ what: String) -> GateFailure {
        let message = database.map { String(cString: sqlite3_errmsg($0)) } ?? "no database"
        return GateFailure(.passStoreFailed, "the pass store failed (\(what)): \(message)")
    }
}
