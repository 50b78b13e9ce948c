import Foundation

/// The generic package registry, following GitLab's lib/api/generic_packages.rb:
/// `PUT /projects/:id/packages/generic/:package_name/:package_version/:file_name` stores the
/// raw request body (personal token with `api`, or a job token; Developer), answering 201
/// `{"message":"201 Created"}` (or the package file with `select=package_file`);
/// `GET` of the same path serves the newest file of that name with `X-Checksum-SHA256`
/// (Reporter on private projects, anyone on public ones; a job token of the project or of one
/// its allowlist names). Names follow Gitlab::Regex's generic package rules.
enum GenericPackagesAPI {
    static let path = "api/v4/projects/:id/packages/generic/:package_name/:package_version/:file_name"
    static let routes: [Route] = [
        Route("PUT", path, auth: .userOrJobToken, handler: upload),
        Route("GET", path, auth: .optionalUserOrJobToken, handler: download),
    ]

    /// The path parameters, checked as Grape does before the endpoint runs.
    struct Parameters {
        var name: String
        var version: String
        var fileName: String

        init(_ context: APIContext, optional: [(name: String, values: Set<String>)]) throws(APIError) {
            name = context.path("package_name")
            version = context.path("package_version")
            fileName = context.path("file_name")
            var invalid: [String] = []
            if !Self.isFileName(name) { invalid.append("package_name is invalid") }
            if !Self.isVersion(version) { invalid.append("package_version is invalid") }
            if !Self.isFileName(fileName) { invalid.append("file_name is invalid") }
            for (parameter, values) in optional {
                if let value = context.request.queryValue(parameter), !values.contains(value) {
                    invalid.append("\(parameter) does not have a valid value")
                }
            }
            if !invalid.isEmpty { throw .grape(invalid.joined(separator: ", ")) }
        }

        /// `maven_file_name_regex`: `\A[A-Za-z0-9\.\_\-\+]+\z`.
        static func isFileName(_ text: String) -> Bool {
            !text.isEmpty && text.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || "._-+".unicodeScalars.contains($0) }
        }

        /// `maven_version_regex`: `\A(?!.*\.\.)[\w+.-]+\z` (Ruby's `\w` is ASCII here).
        static func isVersion(_ text: String) -> Bool {
            !text.isEmpty && !text.contains("..")
                && text.unicodeScalars.allSatisfy { isASCIIAlphanumeric($0) || "_+.-".unicodeScalars.contains($0) }
        }

        private static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar))
        }
    }

    static func upload(_ context: APIContext) throws(APIError) -> SimResponse {
        let parameters = try Parameters(
            context, optional: [("status", ["default", "hidden"]), ("select", ["package_file"])])
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try ProjectsAPI.project(context, in: world)
            guard world.packageAccessLevel(of: context.caller, in: project) >= AccessLevel.developer else { throw .forbidden }
            let jobId: Int? = if case .job(let job) = context.caller { job.id } else { nil }
            let record = PackageFileRecord(
                id: world.allocateId("package_file", above: world.packageFiles.map(\.id)),
                packageId: world.packageId(project: project.id, name: parameters.name, version: parameters.version),
                projectId: project.id, packageName: parameters.name, packageVersion: parameters.version,
                fileName: parameters.fileName, data: context.request.body,
                sha256: PackageFileRecord.sha256Hex(of: context.request.body), jobId: jobId, createdAt: Date())
            world.packageFiles.append(record)
            if context.request.queryValue("select") == "package_file" { return .json(render(record), status: 200) }
            return .json(.object([("message", .string("201 Created"))]), status: 201)
        }
    }

    static func download(_ context: APIContext) throws(APIError) -> SimResponse {
        let parameters = try Parameters(context, optional: [])
        return try context.store.withWorld { (world) throws(APIError) -> SimResponse in
            let project = try ProjectsAPI.project(context, in: world)
            guard world.canReadPackages(of: project, as: context.caller) else { throw .forbidden }
            guard world.packageExists(project: project.id, name: parameters.name, version: parameters.version),
                  let file = world.latestPackageFile(
                    project: project.id, name: parameters.name, version: parameters.version, fileName: parameters.fileName)
            else { throw .message(404, "404 Not found") }
            return SimResponse(status: 200, headers: [
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", "attachment; filename=\"\(file.fileName)\"; filename*=UTF-8''\(file.fileName)"),
                ("X-Checksum-SHA256", file.sha256),
            ], body: file.data)
        }
    }

    /// Entities::Package::PackageFile (`select=package_file`).
    static func render(_ file: PackageFileRecord) -> JSONValue {
        .object([
            ("id", .int(file.id)),
            ("package_id", .int(file.packageId)),
            ("created_at", .string(SimClock.format(file.createdAt))),
            ("file_name", .string(file.fileName)),
            ("size", .int(file.data.count)),
            ("file_md5", .null),
            ("file_sha1", .null),
            ("file_sha256", .string(file.sha256)),
        ])
    }
}

extension SimWorld {
    /// The level a caller has on a project for the package registry: a personal token's user's
    /// own; a job token acts as the job's user, and only on projects its token reaches.
    func packageAccessLevel(of caller: Caller, in project: ProjectRecord) -> Int {
        switch caller {
        case .anonymous: return 0
        case .user(let user, _): return accessLevel(of: user, in: project)
        case .job(let job):
            guard jobToken(of: job, reaches: project) else { return 0 }
            return accessLevel(of: job.userId.flatMap { users[$0] }, in: project)
        }
    }

    /// `read_package`: anyone who sees a public project (signed in for internal ones); Reporter
    /// on private projects.
    func canReadPackages(of project: ProjectRecord, as caller: Caller) -> Bool {
        switch project.visibility {
        case "public": return true
        case "internal":
            switch caller {
            case .anonymous: return false
            case .user: return true
            case .job(let job): return jobToken(of: job, reaches: project)
            }
        default: return packageAccessLevel(of: caller, in: project) >= AccessLevel.reporter
        }
    }
}
