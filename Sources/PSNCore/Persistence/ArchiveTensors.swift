import Foundation

/// One object's safetensors file while `open` reads it: typed access whose errors are
/// ``WorkspaceArchiveError``s naming the file, the tensor and what is wrong.
struct ArchiveTensors {
  let file: SafeTensorsFile
  var path: String { file.source }

  /// Reads the file and checks its `format` metadata names the kind of object expected, so that a
  /// run's file put where a model's belongs is refused by name.
  init(reading url: URL, format: String) throws(WorkspaceArchiveError) {
    do {
      file = try SafeTensorsFile(contentsOf: url)
    } catch {
      throw WorkspaceArchiveError(file: url.path, problem: .tensors(error))
    }
    let found = file.metadata[ArchiveTensors.formatKey] ?? "no format"
    guard found == format else {
      throw inconsistent("holds '\(found)' tensors, expected '\(format)'")
    }
  }

  static let formatKey = "format"

  func inconsistent(_ message: String) -> WorkspaceArchiveError {
    WorkspaceArchiveError(file: path, problem: .inconsistent(message))
  }

  func has(_ name: String) -> Bool { file.tensors[name] != nil }

  /// The named tensor's elements, checking dtype and shape.
  func values<T: SafeTensorElement>(_ name: String, as type: T.Type, shape: [Int])
    throws(WorkspaceArchiveError) -> [T]
  {
    do {
      return try file.values(name, as: T.self, shape: shape)
    } catch {
      throw WorkspaceArchiveError(file: path, problem: .tensors(error))
    }
  }

  /// A tensor of any shape with `rank` dimensions, and that shape.
  func values<T: SafeTensorElement>(_ name: String, as type: T.Type, rank: Int)
    throws(WorkspaceArchiveError) -> (values: [T], shape: [Int])
  {
    let shape: [Int]
    do {
      shape = try file.tensor(name).shape
    } catch {
      throw WorkspaceArchiveError(file: path, problem: .tensors(error))
    }
    guard shape.count == rank else {
      throw inconsistent("tensor '\(name)' has shape \(shape), expected \(rank) dimension(s)")
    }
    return (try values(name, as: T.self, shape: shape), shape)
  }

  /// A one-dimensional tensor of any length.
  func vector<T: SafeTensorElement>(_ name: String, as type: T.Type) throws(WorkspaceArchiveError)
    -> [T]
  {
    try values(name, as: T.self, rank: 1).values
  }

  func bools(_ name: String, shape: [Int]) throws(WorkspaceArchiveError) -> [Bool] {
    do {
      return try file.bools(name, shape: shape)
    } catch {
      throw WorkspaceArchiveError(file: path, problem: .tensors(error))
    }
  }
}

/// A mask in a safetensors file, twice: the exact CSR form psn reads (`PREFIX.row_start` I32
/// [O+1], `PREFIX.columns` I32 [K]) and, for Python users, the O×I BOOL matrix `PREFIX.mask`
/// (row-major, true = connected), which the reader checks against the CSR form.
enum MaskTensors {
  static func write(_ mask: Mask, prefix: String, into tensors: inout [String: SafeTensor]) {
    tensors["\(prefix).row_start"] = SafeTensor(mask.rowStart)
    tensors["\(prefix).columns"] = SafeTensor(mask.columns)
    tensors["\(prefix).mask"] = SafeTensor(
      mask.denseMatrix().map { $0 != 0 }, shape: [mask.nOut, mask.nIn])
  }

  /// The mask of an O×I layer, after checking everything `Mask` assumes: row offsets that start
  /// at 0, never decrease and end at K; columns in 0..<I, strictly ascending within each row;
  /// and a BOOL matrix with exactly those connections.
  static func read(prefix: String, nIn: Int, nOut: Int, from tensors: ArchiveTensors)
    throws(WorkspaceArchiveError) -> Mask
  {
    let rowStart = try tensors.values("\(prefix).row_start", as: Int32.self, shape: [nOut + 1])
    let columns = try tensors.vector("\(prefix).columns", as: Int32.self)
    let label = "mask '\(prefix)'"
    guard rowStart[0] == 0, Int(rowStart[nOut]) == columns.count else {
      throw tensors.inconsistent(
        "\(label): row offsets run from \(rowStart[0]) to \(rowStart[nOut]), expected 0 to \(columns.count) (the number of columns)"
      )
    }
    for j in 0..<nOut where rowStart[j] > rowStart[j + 1] {
      throw tensors.inconsistent(
        "\(label): row offsets decrease at row \(j) (\(rowStart[j]) then \(rowStart[j + 1]))")
    }
    for j in 0..<nOut {
      let a = Int(rowStart[j])
      for p in a..<Int(rowStart[j + 1]) {
        guard columns[p] >= 0, Int(columns[p]) < nIn else {
          throw tensors.inconsistent(
            "\(label): row \(j) connects input \(columns[p]), outside 0..<\(nIn)")
        }
        if p > a && columns[p - 1] >= columns[p] {
          throw tensors.inconsistent(
            "\(label): row \(j) lists inputs \(columns[p - 1]) then \(columns[p]) (they must be strictly ascending: sorted, no duplicates)"
          )
        }
      }
    }
    let mask = Mask(nIn: nIn, nOut: nOut, rowStart: rowStart, columns: columns)
    let dense = try tensors.bools("\(prefix).mask", shape: [nOut, nIn])
    let expected = mask.denseMatrix()
    if let i = dense.indices.first(where: { dense[$0] != (expected[$0] != 0) }) {
      throw tensors.inconsistent(
        "tensor '\(prefix).mask' disagrees with the CSR form at row \(i / nIn), column \(i % nIn)")
    }
    return mask
  }
}
