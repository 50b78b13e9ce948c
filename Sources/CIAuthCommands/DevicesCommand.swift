import ArgumentParser
import CIAuthCore
import Foundation

/// `ciauth devices`: the security keys ciauth can see, and the ones it cannot open.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List connected security keys: address, product, AAGUID, FIDO versions, PIN, algorithms.",
        discussion: "Keys that are plugged in but cannot be opened are listed on stderr with the fix. Exit status 20 when no key is usable, 69 when libfido2 (package libfido2-1) is not installed."
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let context = CommandContext(output: output)
        do {
            let report = try await DevicesInventory.list(explicit: try context.deviceAddresses(device), logger: context.logger)
            if output.json {
                Terminal.output(JSONOutput.document(.devices, report))
            } else {
                show(report)
            }
            if report.devices.allSatisfy({ $0.error != nil }) {
                if report.devices.isEmpty, report.inaccessible.isEmpty {
                    Terminal.error("no security key found: plug one in, or name one with --device (unix:PATH for a virtual key)")
                }
                throw ExitStatus.device.exitCode
            }
        } catch {
            throw Failure.report(error)
        }
    }

    private func show(_ report: DevicesReport) {
        let rows = report.devices.map { device -> [String] in
            let product = [device.manufacturer, device.product].compactMap { $0 }.joined(separator: " ")
            let usb = device.vendorID.map { "\($0):\(device.productID ?? "????")" }
            let pin = device.pinSet.map { $0 ? "set" : "not set" } ?? "unsupported"
            return [
                device.address, [product.isEmpty ? nil : product, usb].compactMap { $0 }.joined(separator: " ").ifEmpty("-"),
                device.aaguid ?? "-", device.versions.joined(separator: ",").ifEmpty("-"), device.error == nil ? pin : "-",
                device.algorithms.joined(separator: ",").ifEmpty("-"), device.error.map { "error: \($0)" } ?? "ok",
            ]
        }
        if !rows.isEmpty {
            Terminal.output(KeysOutput.table(["ADDRESS", "PRODUCT", "AAGUID", "VERSIONS", "PIN", "ALGORITHMS", "STATUS"], rows))
        }
        for device in report.inaccessible {
            Terminal.warning("\(device.path) is a security key you cannot open.\n\(device.fix)")
        }
    }
}

extension String {
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
