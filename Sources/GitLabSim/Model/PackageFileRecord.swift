import Crypto
import Foundation

/// One file of a generic package, as uploaded. GitLab keeps every upload: a second file of the
/// same name in the same package is added beside the first (duplicates are allowed by default),
/// and a download serves the most recent one.
struct PackageFileRecord: Sendable {
    var id: Int
    var packageId: Int
    var projectId: Int
    var packageName: String
    var packageVersion: String
    var fileName: String
    var data: Data
    var sha256: String
    /// Id of the job whose token uploaded it, if a job did.
    var jobId: Int?
    var createdAt: Date

    static func sha256Hex(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

extension SimWorld {
    /// The package id of `name`/`version` in a project, allocated on its first file.
    mutating func packageId(project: Int, name: String, version: String) -> Int {
        if let existing = packageFiles.first(where: {
            $0.projectId == project && $0.packageName == name && $0.packageVersion == version
        }) {
            return existing.packageId
        }
        return allocateId("package", above: packageFiles.map(\.packageId))
    }

    /// The file a download gets: the newest upload of that name in that package.
    func latestPackageFile(project: Int, name: String, version: String, fileName: String) -> PackageFileRecord? {
        packageFiles.last {
            $0.projectId == project && $0.packageName == name && $0.packageVersion == version && $0.fileName == fileName
        }
    }

    func packageExists(project: Int, name: String, version: String) -> Bool {
        packageFiles.contains { $0.projectId == project && $0.packageName == name && $0.packageVersion == version }
    }
}
