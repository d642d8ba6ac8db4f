import Foundation

/// Text the engine reads is found by a hash of its bytes (TextCache, EnumCache, the callbacks' numbers,
/// the ledger's ids): eight bytes at a time, since a year's report hashes some 80 M texts and FNV's byte
/// at a time cost it about a second. `seed` mixes in what else the key holds (a source's number).
/// Equal hashes do not mean equal texts: every user compares the bytes.
func byteHash(_ bytes: UnsafeBufferPointer<UInt8>, seed: Int = 0) -> Int {
    var hash = UInt64(UInt(bitPattern: seed)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    func mix(_ word: UInt64) {
        hash = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 32
    }
    guard let base = bytes.baseAddress else { return Int(bitPattern: UInt(hash)) }
    var offset = 0
    while offset + 8 <= bytes.count {
        mix(UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
        offset += 8
    }
    if offset < bytes.count {
        var tail: UInt64 = 0
        for index in offset..<bytes.count { tail = tail << 8 | UInt64(base[index]) }
        mix(tail)
    }
    return Int(bitPattern: UInt(hash))
}

/// Whether `stored` holds the same bytes as `bytes`.
func equal(_ stored: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
}

func equal(_ stored: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    stored.withUnsafeBufferPointer { equal($0, bytes) }
}
