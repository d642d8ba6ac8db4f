import Foundation

/// Reads the benchmark's pages file one line (one vendor response body) at a time, in 4 MiB reads,
/// so that reading the file costs next to nothing beside what is measured.
struct PageFile {
    private let handle: FileHandle
    private var buffer = Data()
    private var position = 0
    private var exhausted = false

    init(_ url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
    }

    mutating func next() throws -> Data? {
        while true {
            let newline = buffer.withUnsafeBytes { raw -> Int? in
                guard position < raw.count,
                      let found = memchr(raw.baseAddress! + position, 0x0A, raw.count - position) else { return nil }
                return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
            }
            if let newline {
                let line = buffer.subdata(in: position..<newline)
                position = newline + 1
                return line
            }
            if exhausted { return nil }
            buffer = buffer.subdata(in: position..<buffer.count)
            position = 0
            let chunk = try handle.read(upToCount: 4 << 20) ?? Data()
            if chunk.isEmpty { exhausted = true } else { buffer.append(chunk) }
        }
    }
}
