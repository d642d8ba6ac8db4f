import CGSM
import Foundation

/// GSM 06.10 through libgsm, one handle per stream (libgsm is re-entrant that way).
public final class GSMCodec {
    public static let samplesPerFrame = 160
    public static let frameBytes = 33
    /// WAV49 packs two frames into 65 bytes.
    public static let wav49BlockBytes = 65

    private let handle: gsm

    public init(wav49: Bool) {
        handle = gsm_create()
        var on: Int32 = wav49 ? 1 : 0
        gsm_option(handle, GSM_OPT_WAV49, &on)
    }

    deinit { gsm_destroy(handle) }

    /// Decodes one frame (33 bytes, or the first or second half of a WAV49 block) into 160 samples.
    /// Returns false when libgsm rejects the frame.
    @inline(__always)
    public func decode(_ frame: UnsafePointer<UInt8>, into samples: UnsafeMutablePointer<Int16>) -> Bool {
        gsm_decode(handle, UnsafeMutablePointer(mutating: frame), samples) == 0
    }

    /// Encodes 160 samples. In WAV49 mode the first frame of a pair writes 32 bytes and the second 33.
    public func encode(_ samples: UnsafePointer<Int16>, into frame: UnsafeMutablePointer<UInt8>) {
        gsm_encode(handle, UnsafeMutablePointer(mutating: samples), frame)
    }
}
