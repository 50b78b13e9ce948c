import Foundation
import Logging

/// One client connection: reads 64-byte packets, reassembles messages, answers CTAPHID
/// commands, and runs CBOR requests on a worker so a CANCEL can still be read meanwhile.
final class CTAPHIDConnection: @unchecked Sendable {
    struct Environment {
        var authenticator: VirtualAuthenticator
        var channels: ChannelTable
        var fault: FaultInjection?
        var messageTimeout: Duration
        var logger: Logger
    }

    /// A message being reassembled (CTAP 2.1 §11.2.4).
    private struct Assembly {
        var channel: UInt32
        var command: UInt8
        var length: Int
        var data: [UInt8]
        var nextSequence: UInt8 = 0
        var deadline: ContinuousClock.Instant
    }

    let id: Int
    private let fd: Int32
    private let env: Environment
    private let writeLock = NSLock()
    private var closed = false
    private var inbound: [UInt8] = []
    private var assembly: Assembly?
    private let pendingLock = NSLock()
    private var pending: PendingRequest?
    private let worker = DispatchGroup()

    init(id: Int, fd: Int32, environment: Environment) {
        self.id = id
        self.fd = fd
        env = environment
    }

    /// The reader loop; returns when the peer closes (or the server stops) and no worker runs.
    func run() {
        while let packet = nextPacket() {
            handle(CTAPHIDFrame(packet: packet))
        }
        cancelPending { _ in true }
        worker.wait()
        writeLock.withLock { closed = true }
    }

    // MARK: Reading

    private func nextPacket() -> [UInt8]? {
        while inbound.count < CTAPHID.packetSize {
            switch UnixSocket.readSome(fd, upTo: CTAPHID.packetSize - inbound.count, timeoutMs: readTimeout()) {
            case .data(let bytes): inbound += bytes
            case .timeout: expireAssembly()
            case .closed: return nil
            }
        }
        defer { inbound.removeAll(keepingCapacity: true) }
        return inbound
    }

    private func readTimeout() -> Int32 {
        guard let deadline = assembly?.deadline else { return -1 }
        let remaining = deadline - .now
        return max(0, Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
    }

    /// A message whose continuation packets stopped coming: ERR_MSG_TIMEOUT (§11.2.9.1.6).
    private func expireAssembly() {
        guard let current = assembly, ContinuousClock.now >= current.deadline else { return }
        assembly = nil
        sendError(current.channel, .messageTimeout)
    }

    // MARK: Framing

    private func handle(_ frame: CTAPHIDFrame) {
        guard frame.channel != 0 else { return sendError(0, .invalidChannel) }
        switch frame {
        case .initial(let channel, let command, let length, let data):
            handleInitial(channel: channel, command: command, length: length, data: data)
        case .continuation(let channel, let sequence, let data):
            handleContinuation(channel: channel, sequence: sequence, data: data)
        }
    }

    private func handleInitial(channel: UInt32, command: UInt8, length: Int, data: ArraySlice<UInt8>) {
        if command == CTAPHID.Command.initialize.rawValue {
            return handleInit(channel: channel, length: length, nonce: Array(data.prefix(8)))
        }
        guard channel != CTAPHID.broadcastChannel, env.channels.isAllocated(channel) else {
            return sendError(channel, .invalidChannel)
        }
        if command == CTAPHID.Command.cancel.rawValue {
            cancelPending { $0 == channel }
            return
        }
        if let current = assembly {
            if current.channel == channel {
                assembly = nil
                return sendError(channel, .invalidSequence)
            }
            return sendError(channel, .channelBusy)
        }
        guard length <= env.authenticator.configuration.maxMessageSize else { return sendError(channel, .invalidLength) }
        assembly = Assembly(channel: channel, command: command, length: length,
                            data: Array(data.prefix(length)), deadline: .now + env.messageTimeout)
        completeIfDone()
    }

    private func handleContinuation(channel: UInt32, sequence: UInt8, data: ArraySlice<UInt8>) {
        // A continuation for no message being assembled is ignored (§11.2.4).
        guard var current = assembly, current.channel == channel else { return }
        guard sequence == current.nextSequence else {
            assembly = nil
            return sendError(channel, .invalidSequence)
        }
        current.data += data.prefix(current.length - current.data.count)
        current.nextSequence += 1
        assembly = current
        completeIfDone()
    }

    private func completeIfDone() {
        guard let current = assembly, current.data.count == current.length else { return }
        assembly = nil
        dispatch(channel: current.channel, command: current.command, payload: current.data)
    }

    /// CTAPHID_INIT (§11.2.9.1.3): allocate on broadcast, resynchronize on an existing channel.
    private func handleInit(channel: UInt32, length: Int, nonce: [UInt8]) {
        guard length == 8 else { return sendError(channel, .invalidLength) }
        let assigned: UInt32
        if channel == CTAPHID.broadcastChannel {
            assigned = env.channels.allocate()
        } else {
            guard env.channels.isAllocated(channel) else { return sendError(channel, .invalidChannel) }
            if assembly?.channel == channel { assembly = nil }
            cancelPending { $0 == channel }
            assigned = channel
        }
        let version = CTAPHID.deviceVersion
        var payload = nonce + CTAPHIDFramer.channelBytes(assigned)
        let capabilities = env.authenticator.configuration.u2fOnly
            ? CTAPHID.capabilityWink
            : CTAPHID.capabilityWink | CTAPHID.capabilityCBOR | CTAPHID.capabilityNoMessage
        payload += [CTAPHID.protocolVersion, version.major, version.minor, version.build, capabilities]
        if env.fault?.mode == .garbageInit {
            payload = payload.prefix(16).map { $0 ^ 0x5a }
        }
        sendPackets(CTAPHIDFramer.packets(channel: channel, command: CTAPHID.Command.initialize.rawValue, payload: payload))
    }

    // MARK: Commands

    private func dispatch(channel: UInt32, command: UInt8, payload: [UInt8]) {
        let owner = ChannelTable.Owner(connection: id, channel: channel)
        switch CTAPHID.Command(rawValue: command) {
        case .ping, .wink:
            guard !env.channels.isBusy(forOtherThan: owner) else { return sendError(channel, .channelBusy) }
            sendMessage(channel: channel, command: command, payload: command == CTAPHID.Command.ping.rawValue ? payload : [])
        case .msg where env.authenticator.configuration.u2fOnly:
            guard !env.channels.isBusy(forOtherThan: owner) else { return sendError(channel, .channelBusy) }
            sendMessage(channel: channel, command: command, payload: env.authenticator.handle(u2fRequest: payload))
        case .cbor where !env.authenticator.configuration.u2fOnly:
            guard !payload.isEmpty else { return sendError(channel, .invalidLength) }
            guard env.channels.tryAcquire(owner) else { return sendError(channel, .channelBusy) }
            runCBOR(owner: owner, payload: payload)
        default:
            sendError(channel, .invalidCommand)
        }
    }

    /// Flags the running request (if its channel matches) and wakes its touch wait at once,
    /// so the device is free for the next client without delay.
    private func cancelPending(where matches: (UInt32) -> Bool) {
        let cancelled = pendingLock.withLock { () -> Bool in
            guard let pending, matches(pending.channel) else { return false }
            pending.cancel()
            return true
        }
        if cancelled { env.authenticator.presence.interrupt() }
    }

    private func runCBOR(owner: ChannelTable.Owner, payload: [UInt8]) {
        let request = PendingRequest(channel: owner.channel, connection: self)
        pendingLock.withLock { pending = request }
        worker.enter()
        Thread.detachNewThread { [self] in
            let response = env.authenticator.handle(cborRequest: payload, context: request)
            pendingLock.withLock { if pending === request { pending = nil } }
            env.channels.release(owner)
            sendCBORResponse(channel: owner.channel, command: payload[0], response: response)
            worker.leave()
        }
    }

    // MARK: Writing

    func sendKeepalive(channel: UInt32, _ status: CTAPHID.KeepaliveStatus) {
        sendMessage(channel: channel, command: CTAPHID.Command.keepalive.rawValue, payload: [status.rawValue])
    }

    private func sendError(_ channel: UInt32, _ code: CTAPHID.ErrorCode) {
        env.logger.debug("CTAPHID error", metadata: ["channel": "\(channel)", "code": "\(code)"])
        sendPackets([CTAPHIDFramer.errorPacket(channel: channel, code)])
    }

    private func sendMessage(channel: UInt32, command: UInt8, payload: [UInt8]) {
        sendPackets(CTAPHIDFramer.packets(channel: channel, command: command, payload: payload))
    }

    private func sendCBORResponse(channel: UInt32, command: UInt8, response: [UInt8]) {
        let cbor = CTAPHID.Command.cbor.rawValue
        guard let fault = env.fault, fault.applies(toCBORCommand: command) else {
            return sendMessage(channel: channel, command: cbor, payload: response)
        }
        env.logger.debug("injecting fault", metadata: ["fault": "\(fault.mode.rawValue)"])
        switch fault.mode {
        case .badCBOR:
            sendMessage(channel: channel, command: cbor, payload: [CTAP2Status.ok.rawValue, 0xa2, 0x01])
        case .shortFrame:
            let first = CTAPHIDFramer.packets(channel: channel, command: cbor, payload: response)[0]
            writeLock.withLock {
                guard !closed else { return }
                _ = UnixSocket.writeAll(fd, Array(first.prefix(30)))
                closed = true
                shutdown(fd, Int32(SHUT_RDWR))
            }
        case .wrongChannel:
            sendMessage(channel: channel &+ 1, command: cbor, payload: response)
        case .badSequence:
            sendPackets(CTAPHIDFramer.packets(channel: channel, command: cbor, payload: response, firstSequence: 1))
        case .hugeLength:
            sendPackets(CTAPHIDFramer.packets(channel: channel, command: cbor, payload: response, declaredLength: 0xffff))
        case .noResponse:
            break
        case .garbageInit:
            sendMessage(channel: channel, command: cbor, payload: response)
        }
    }

    private func sendPackets(_ packets: [[UInt8]]) {
        writeLock.withLock {
            guard !closed else { return }
            for packet in packets where !UnixSocket.writeAll(fd, packet) {
                closed = true
                return
            }
        }
    }
}

/// The CBOR request in progress on a connection: cancel flag and keepalive sender.
final class PendingRequest: RequestContext, @unchecked Sendable {
    let channel: UInt32
    private weak var connection: CTAPHIDConnection?
    private let lock = NSLock()
    private var cancelled = false

    init(channel: UInt32, connection: CTAPHIDConnection) {
        self.channel = channel
        self.connection = connection
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    func cancel() { lock.withLock { cancelled = true } }

    func keepalive(_ status: CTAPHID.KeepaliveStatus) {
        connection?.sendKeepalive(channel: channel, status)
    }
}
