import Foundation

/// The contents of one safetensors file (https://github.com/huggingface/safetensors): named
/// tensors plus string metadata. Python reads psn's files with
/// `safetensors.numpy.load_file(path)`.
///
/// Layout: an 8-byte little-endian u64 N, N bytes of JSON header (padded with spaces to a
/// multiple of 8, so the byte buffer starts 8-aligned), then the byte buffer. psn writes the
/// tensors in order of decreasing element size, then by name: every tensor then starts at a
/// multiple of its own element size, and equal contents give byte-identical files.
public struct SafeTensorsFile: Sendable, Equatable {
  public var tensors: [String: SafeTensor]
  public var metadata: [String: String]
  /// Where the contents came from, for error messages ("<memory>" until read or written).
  public var source: String

  /// The header may not exceed this many bytes (the reference implementation's limit), so a
  /// damaged length field cannot make psn allocate gigabytes.
  static let maximumHeaderLength: UInt64 = 100_000_000

  public init(
    tensors: [String: SafeTensor] = [:], metadata: [String: String] = [:],
    source: String = "<memory>"
  ) {
    self.tensors = tensors
    self.metadata = metadata
    self.source = source
  }

  /// Equal tensors and metadata; `source` is only a label.
  public static func == (a: Self, b: Self) -> Bool {
    a.tensors == b.tensors && a.metadata == b.metadata
  }

  public subscript(name: String) -> SafeTensor? {
    get { tensors[name] }
    set { tensors[name] = newValue }
  }

  // MARK: Writing

  /// The file's bytes. Throws for a tensor name the format cannot hold.
  public func encoded() throws(SafeTensorsError) -> [UInt8] {
    for name in tensors.keys where name.isEmpty || name == SafeTensorsHeader.metadataKey {
      throw SafeTensorsError(file: source, problem: .invalidTensorName(name))
    }
    let order = tensors.keys.sorted { a, b in
      let (sa, sb) = (tensors[a]!.dtype.byteSize, tensors[b]!.dtype.byteSize)
      return sa != sb ? sa > sb : a < b
    }
    var entries: [String: SafeTensorsHeader.Entry] = [:]
    var offset = 0
    for name in order {
      let tensor = tensors[name]!
      entries[name] = .init(
        dtype: tensor.dtype.rawValue, shape: tensor.shape,
        dataOffsets: [offset, offset + tensor.bytes.count])
      offset += tensor.bytes.count
    }
    var header: [UInt8]
    do {
      header = try SafeTensorsHeader(entries: entries, metadata: metadata).encoded()
    } catch {
      throw SafeTensorsError(file: source, problem: .cannotWrite(reason: "JSON encoding: \(error)"))
    }
    header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
    bytes += header
    for name in order { bytes += tensors[name]!.bytes }
    return bytes
  }

  /// Writes the file (not atomically, and not synced: save through ``AtomicDirectory`` for that).
  public func write(to url: URL) throws(SafeTensorsError) {
    var labelled = self
    labelled.source = url.path
    let bytes = try labelled.encoded()
    do {
      try FileIO.writeAll(bytes, to: url.path)
    } catch {
      throw SafeTensorsError(file: url.path, problem: .cannotWrite(reason: error.reason))
    }
  }

  // MARK: Reading

  /// Reads and fully validates a file; see ``init(decoding:source:)``.
  public init(contentsOf url: URL) throws(SafeTensorsError) {
    let bytes: [UInt8]
    do {
      bytes = try FileIO.readAll(url.path)
    } catch {
      throw SafeTensorsError(file: url.path, problem: .cannotRead(reason: error.reason))
    }
    try self.init(decoding: bytes, source: url.path)
  }

  /// Parses a file's bytes, validating everything before trusting any of it: the header length
  /// against the file size, the header's JSON form, every dtype, every tensor's offsets against
  /// the buffer and against shape × dtype size, and that the tensors tile the buffer exactly
  /// (no overlaps, no unclaimed bytes). Any violation throws a ``SafeTensorsError`` naming
  /// `source`; no input makes it trap.
  public init(decoding bytes: [UInt8], source: String) throws(SafeTensorsError) {
    func fail(_ problem: SafeTensorsError.Problem) -> SafeTensorsError {
      SafeTensorsError(file: source, problem: problem)
    }
    guard bytes.count >= 8 else { throw fail(.truncated(fileSize: bytes.count)) }
    let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    let available = bytes.count - 8
    guard headerLength <= UInt64(available), headerLength <= Self.maximumHeaderLength else {
      throw fail(.headerLengthOutOfRange(claimed: headerLength, available: available))
    }
    let bufferStart = 8 + Int(headerLength)
    let header = try SafeTensorsHeader.decode(bytes[8..<bufferStart], file: source)
    let bufferSize = bytes.count - bufferStart

    var spans: [(name: String, begin: Int, end: Int, dtype: SafeTensorDType, shape: [Int])] = []
    for (name, entry) in header.entries {
      guard let dtype = SafeTensorDType(rawValue: entry.dtype) else {
        throw fail(.unknownDType(tensor: name, dtype: entry.dtype))
      }
      guard entry.dataOffsets.count == 2 else {
        throw fail(.malformedHeader(detail: "tensor '\(name)': data_offsets must be [begin, end]"))
      }
      let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
      guard begin >= 0, begin <= end else {
        throw fail(
          .malformedHeader(
            detail: "tensor '\(name)': data_offsets [\(begin), \(end)] are not 0 ≤ begin ≤ end"))
      }
      guard end <= bufferSize else {
        throw fail(.offsetsOutOfRange(tensor: name, begin: begin, end: end, bufferSize: bufferSize))
      }
      guard let expected = SafeTensor.byteCount(dtype: dtype, shape: entry.shape) else {
        throw fail(
          .malformedHeader(
            detail: "tensor '\(name)': shape \(entry.shape) has a negative or too large dimension"))
      }
      guard expected == end - begin else {
        throw fail(.sizeMismatch(tensor: name, expectedBytes: expected, actualBytes: end - begin))
      }
      spans.append((name, begin, end, dtype, entry.shape))
    }

    spans.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
    var cursor = 0
    var previous = ""
    for span in spans {
      if span.begin < cursor { throw fail(.overlap(tensor: span.name, other: previous)) }
      if span.begin > cursor { throw fail(.gap(before: span.name, begin: cursor, end: span.begin)) }
      cursor = span.end
      previous = span.name
    }
    guard cursor == bufferSize else {
      throw fail(.unindexedTail(begin: cursor, bufferSize: bufferSize))
    }

    var tensors: [String: SafeTensor] = [:]
    for span in spans {
      let slice = Array(bytes[(bufferStart + span.begin)..<(bufferStart + span.end)])
      tensors[span.name] = SafeTensor(dtype: span.dtype, shape: span.shape, bytes: slice)
    }
    self.init(tensors: tensors, metadata: header.metadata, source: source)
  }

  // MARK: Typed access

  /// The named tensor, or an error naming the file when it is missing.
  public func tensor(_ name: String) throws(SafeTensorsError) -> SafeTensor {
    guard let tensor = tensors[name] else {
      throw SafeTensorsError(file: source, problem: .missingTensor(name))
    }
    return tensor
  }

  /// The named tensor's elements as `T`, checking its dtype and, when given, its shape.
  public func values<T: SafeTensorElement>(
    _ name: String, as type: T.Type = T.self, shape: [Int]? = nil
  ) throws(SafeTensorsError) -> [T] {
    let tensor = try checkedTensor(name, dtype: T.safeTensorDType, shape: shape)
    return tensor.values(as: T.self)!
  }

  /// The named BOOL tensor's elements, checking its shape when given.
  public func bools(_ name: String, shape: [Int]? = nil) throws(SafeTensorsError) -> [Bool] {
    try checkedTensor(name, dtype: .bool, shape: shape).bools()!
  }

  private func checkedTensor(_ name: String, dtype: SafeTensorDType, shape: [Int]?)
    throws(SafeTensorsError) -> SafeTensor
  {
    let tensor = try tensor(name)
    guard tensor.dtype == dtype else {
      throw SafeTensorsError(
        file: source, problem: .dtypeMismatch(tensor: name, stored: tensor.dtype, expected: dtype))
    }
    if let shape, shape != tensor.shape {
      throw SafeTensorsError(
        file: source, problem: .shapeMismatch(tensor: name, stored: tensor.shape, expected: shape))
    }
    return tensor
  }
}
