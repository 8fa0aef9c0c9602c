import Foundation

/// A model as saved: `models/FILE.json` holds ``Record``, `models/FILE.safetensors` the tensors,
/// for each layer l (0-based; W_l is O×I, O = sizes[l+1], I = sizes[l]):
///
/// - `layers.l.weight` F32 [O, I]: W_l row-major, zeros at inactive positions: what Python uses.
/// - `layers.l.bias` F32 [O].
/// - sparse layers only: `layers.l.values` F32 [K], the active weights in CSR order (exactly what
///   psn trains), with the mask as `layers.l.row_start` I32 [O+1], `layers.l.columns` I32 [K] and
///   `layers.l.mask` BOOL [O, I] (``MaskTensors``).
///
/// psn reads the exact form (`values` + CSR) and checks that `weight` and `mask` agree with it
/// bit for bit, so a file edited in one form only is refused rather than half-applied.
enum ModelArchive {
  static let format = "psn-model"

  struct Record: Codable, Equatable {
    /// Layer widths, input first.
    var sizes: [Int]
    /// Per layer, whether it has a mask.
    var sparse: [Bool]
    var datasetName: String?
    var seed: UInt64
    var metadata: [String: String]
  }

  static func encode(_ entry: WorkspaceSnapshot.ModelEntry) -> (Record, [String: SafeTensor]) {
    let model = entry.model
    var tensors: [String: SafeTensor] = [:]
    for (l, layer) in model.layers.enumerated() {
      tensors["layers.\(l).weight"] = SafeTensor(
        layer.denseWeights(), shape: [layer.nOut, layer.nIn])
      tensors["layers.\(l).bias"] = SafeTensor(layer.bias)
      if let mask = layer.mask {
        tensors["layers.\(l).values"] = SafeTensor(layer.weights)
        MaskTensors.write(mask, prefix: "layers.\(l)", into: &tensors)
      }
    }
    let record = Record(
      sizes: model.sizes, sparse: model.layers.map(\.isSparse), datasetName: entry.datasetName,
      seed: entry.seed, metadata: entry.metadata)
    return (record, tensors)
  }

  static func decode(_ record: Record, _ tensors: ArchiveTensors, name: String, json: String)
    throws(WorkspaceArchiveError) -> WorkspaceSnapshot.ModelEntry
  {
    let sizes = try checkedSizes(record.sizes, json: json, what: "model '\(name)'")
    guard record.sparse.count == sizes.count - 1 else {
      throw WorkspaceArchiveError(
        file: json,
        problem: .inconsistent(
          "model '\(name)': 'sparse' has \(record.sparse.count) entries for \(sizes.count - 1) layers"
        ))
    }
    var layers: [Layer] = []
    for l in 0..<sizes.count - 1 {
      let (nIn, nOut) = (sizes[l], sizes[l + 1])
      let dense = try tensors.values("layers.\(l).weight", as: Float.self, shape: [nOut, nIn])
      let bias = try tensors.values("layers.\(l).bias", as: Float.self, shape: [nOut])
      guard record.sparse[l] else {
        layers.append(Layer(nIn: nIn, nOut: nOut, mask: nil, weights: dense, bias: bias))
        continue
      }
      let mask = try MaskTensors.read(prefix: "layers.\(l)", nIn: nIn, nOut: nOut, from: tensors)
      let values = try tensors.values("layers.\(l).values", as: Float.self, shape: [mask.nnz])
      let layer = Layer(nIn: nIn, nOut: nOut, mask: mask, weights: values, bias: bias)
      let scattered = layer.denseWeights()
      if let i = dense.indices.first(where: { dense[$0].bitPattern != scattered[$0].bitPattern }) {
        throw tensors.inconsistent(
          "tensor 'layers.\(l).weight' disagrees with 'layers.\(l).values' at row \(i / nIn), column \(i % nIn) (\(dense[i]) versus \(scattered[i]))"
        )
      }
      layers.append(layer)
    }
    var model: MLP
    do {
      model = try MLP(sizes: sizes, masks: layers.map(\.mask), seed: record.seed)
    } catch {
      throw WorkspaceArchiveError(file: json, problem: .inconsistent("model '\(name)': \(error)"))
    }
    model.layers = layers
    return WorkspaceSnapshot.ModelEntry(
      name: name, model: model, datasetName: record.datasetName, seed: record.seed,
      metadata: record.metadata)
  }

  /// Widths that make a network and whose products cannot overflow: at least two, each in
  /// 1...Int32.max (every tensor shaped by them must then also fit in its file).
  static func checkedSizes(_ sizes: [Int], json: String, what: String)
    throws(WorkspaceArchiveError) -> [Int]
  {
    guard sizes.count >= 2, sizes.allSatisfy({ (1...Int(Int32.max)).contains($0) }) else {
      throw WorkspaceArchiveError(
        file: json,
        problem: .inconsistent(
          "\(what): widths \(sizes) are not a network (at least two, each ≥ 1)"))
    }
    return sizes
  }
}
