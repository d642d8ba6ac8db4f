import Foundation

/// The PostgreSQL server the warehouse tests publish into: the one `CALLTRAIL_TEST_POSTGRES_URL`
/// names (`.ci/run` starts one and exports it), or else a throw-away cluster started here from
/// Debian's PostgreSQL on a free loopback port, as its own user when run as root, and stopped when
/// the test process exits. Without either, the tests fail saying what to install.
public enum TestPostgres {
    public static let urlVariable = "CALLTRAIL_TEST_POSTGRES_URL"
    public static let passwordVariable = "CALLTRAIL_TEST_POSTGRES_PASSWORD"

    public struct Server: Sendable {
        public var url: String
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server's `postgresql://` address; the password is in `passwordVariable`.
    public static func server() throws -> Server {
        try lock.withLock {
            if let started { return started }
            let server = try find()
            started = server
            return server
        }
    }

    nonisolated(unsafe) private static var started: Server?
    private static let lock = NSLock()
    nonisolated(unsafe) static var startedData: String?

    private static func find() throws -> Server {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment[urlVariable] {
            guard environment[passwordVariable] != nil else {
                throw Unavailable(description: "\(urlVariable) is set but \(passwordVariable) is not: export the test role's password")
            }
            return Server(url: url)
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = versions.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last else {
            throw Unavailable(description: "no PostgreSQL server: apt-get install -y postgresql (the tests start a throw-away cluster), or export \(urlVariable)")
        }
        let bin = "/usr/lib/postgresql/\(version)/bin"
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("calltrail-test-pg-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let asRoot = geteuid() == 0
        if asRoot { try run(["chown", "postgres", data]) }
        let port = try freePort()
        let password = UUID().uuidString
        try shell("\(bin)/initdb -D \(data) -U postgres --auth-local=trust --auth-host=scram-sha-256 > \(data).initdb.log 2>&1", asRoot: asRoot)
        try shell("\(bin)/pg_ctl -D \(data) -l \(data)/server.log -w -o '-p \(port) -c listen_addresses=127.0.0.1 -k \(data)' start > /dev/null 2>&1", asRoot: asRoot)
        startedData = "\(bin)|\(data)|\(asRoot)"
        atexit {
            guard let parts = TestPostgres.startedData?.split(separator: "|").map(String.init), parts.count == 3 else { return }
            try? TestPostgres.shell("\(parts[0])/pg_ctl -D \(parts[1]) -m immediate stop > /dev/null 2>&1", asRoot: parts[2] == "true")
            try? FileManager.default.removeItem(atPath: parts[1])
            try? FileManager.default.removeItem(atPath: parts[1] + ".initdb.log")
        }
        try shell("psql -h \(data) -p \(port) -U postgres -v ON_ERROR_STOP=1 -c \"CREATE ROLE calltrail LOGIN PASSWORD '\(password)'\" -c 'CREATE DATABASE calltrail_test OWNER calltrail' > /dev/null",
                  asRoot: asRoot)
        setenv(passwordVariable, password, 1)
        return Server(url: "postgresql://calltrail@127.0.0.1:\(port)/calltrail_test?sslmode=disable")
    }

    static func shell(_ command: String, asRoot: Bool) throws {
        try run(asRoot ? ["su", "postgres", "-s", "/bin/sh", "-c", command] : ["/bin/sh", "-c", command])
    }

    /// Runs a program to its end with posix_spawn and waitpid: Foundation's Process would also wait
    /// for the started server, which inherits its pipe.
    static func run(_ arguments: [String]) throws {
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ) == 0 else {
            throw Unavailable(description: "cannot start \(arguments.joined(separator: " "))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw Unavailable(description: "starting the test PostgreSQL failed: \(arguments.joined(separator: " ")) exited with status \(status)")
        }
    }

    /// A port nothing listens on now (bound to 0, read, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Unavailable(description: "no free loopback port for the test PostgreSQL") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
