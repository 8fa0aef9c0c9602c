import CZlib

/// In-memory gzip decompression with zlib (see ../shared/notes/swift-feasibility.md §5: one
/// `inflate` over the whole file is the fastest way to read the datasets, ~230 MB/s out).
enum Gzip {
  /// Inflates a complete gzip file (one or more members) held in memory.
  ///
  /// The output is pre-sized from the gzip trailer's ISIZE (uncompressed length mod 2³²) so the
  /// normal case is a single `inflate` call with no copying. ISIZE is only a hint: on a truncated
  /// or damaged file it is arbitrary bytes, so the first allocation is capped at
  /// max(8 × compressed size, 64 MiB) and the buffer doubles when inflate needs more. zlib itself
  /// checks each member's CRC-32 and length, so a stream that inflates cleanly is the real data.
  static func inflate(_ compressed: [UInt8], file: String) throws(DataError) -> [UInt8] {
    let n = compressed.count
    guard n >= 18 else {
      throw .corrupt(file: file, problem: "too short to be gzip data (\(n) bytes)")
    }
    guard compressed[0] == 0x1f, compressed[1] == 0x8b else {
      let start = compressed[0..<2].map { hexLiteral(UInt32($0), width: 2) }.joined(separator: " ")
      throw .corrupt(
        file: file, problem: "not gzip data (starts with \(start), gzip starts with 0x1f 0x8b)")
    }
    let isize =
      Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16
      | Int(compressed[n - 1]) << 24
    var capacity = max(4096, min(isize, max(8 * n, 64 << 20)))

    var stream = z_stream()
    guard psn_inflateInit2(&stream, 15 + 16) == Z_OK else {
      throw .corrupt(file: file, problem: "zlib could not start inflating")
    }
    defer { inflateEnd(&stream) }

    var output: [UInt8] = []
    var consumed = 0
    while true {
      var outcome = Outcome.needSpace
      let previous = output
      output = [UInt8](unsafeUninitializedCapacity: capacity) { out, produced in
        previous.withUnsafeBufferPointer { old in
          if let base = old.baseAddress {
            out.baseAddress!.initialize(from: base, count: old.count)
          }
        }
        produced = previous.count
        compressed.withUnsafeBufferPointer { input in
          outcome = run(
            &stream, input: input, consumed: &consumed, output: out, produced: &produced)
        }
      }
      switch outcome {
      case .done: return output
      case .needSpace: capacity *= 2
      case .failed(let problem): throw .corrupt(file: file, problem: problem)
      }
    }
  }

  private enum Outcome {
    case done, needSpace
    case failed(String)
  }

  /// Inflates until the input is used up, `output` is full, or the data turns out bad.
  /// Consecutive gzip members (as `cat a.gz b.gz` makes) are inflated one after another.
  private static func run(
    _ stream: inout z_stream, input: UnsafeBufferPointer<UInt8>, consumed: inout Int,
    output: UnsafeMutableBufferPointer<UInt8>, produced: inout Int
  ) -> Outcome {
    let n = input.count
    while true {
      stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
      stream.avail_in = UInt32(clamping: n - consumed)
      stream.next_out = output.baseAddress! + produced
      stream.avail_out = UInt32(clamping: output.count - produced)
      let inBefore = stream.avail_in
      let outBefore = stream.avail_out
      let status = CZlib.inflate(&stream, Z_NO_FLUSH)
      consumed += Int(inBefore - stream.avail_in)
      produced += Int(outBefore - stream.avail_out)
      switch status {
      case Z_STREAM_END:
        if consumed == n { return .done }
        if n - consumed >= 2 && input[consumed] == 0x1f && input[consumed + 1] == 0x8b {
          inflateReset(&stream)
          continue
        }
        return .failed("\(n - consumed) bytes of trailing data after the gzip stream")
      case Z_OK, Z_BUF_ERROR:
        if produced == output.count { return .needSpace }
        if consumed == n { return .failed("truncated: the compressed data ends early") }
        if inBefore == stream.avail_in && outBefore == stream.avail_out {
          return .failed("zlib made no progress (status \(status))")
        }
      case Z_DATA_ERROR:
        let reason = stream.msg.map { String(cString: $0) } ?? "invalid deflate data"
        return .failed("bad gzip data: \(reason)")
      case Z_MEM_ERROR:
        return .failed("out of memory while inflating")
      default:
        return .failed("zlib error \(status)")
      }
    }
  }
}
