/// A built profile as saved: `profiles/FILE.json` holds ``Record`` (the spec as the user stated
/// it, each layer's profile, the budget), `profiles/FILE.safetensors` the masks: for each layer l
/// that has one, `masks.l.row_start` I32 [O+1], `masks.l.columns` I32 [K] and `masks.l.mask`
/// BOOL [O, I] (``MaskTensors``).
enum ProfileArchive {
  static let format = "psn-profile"

  struct Record: Codable {
    var sizes: [Int]
    var spec: NetworkProfileSpec
    /// Per layer, nil where the layer is dense.
    var layers: [LayerProfile?]
    var budget: LayerBudget
    /// Per layer, whether a mask is stored.
    var masked: [Bool]
    /// As the user wrote it; absent in saves that predate it.
    var description: String?
  }

  static func encode(_ entry: WorkspaceSnapshot.ProfileEntry) -> (Record, [String: SafeTensor]) {
    var tensors: [String: SafeTensor] = [:]
    for (l, mask) in entry.profile.masks.enumerated() {
      if let mask { MaskTensors.write(mask, prefix: "masks.\(l)", into: &tensors) }
    }
    let profile = entry.profile
    let record = Record(
      sizes: entry.sizes, spec: profile.spec, layers: profile.layers, budget: profile.budget,
      masked: profile.masks.map { $0 != nil }, description: entry.description)
    return (record, tensors)
  }

  static func decode(_ record: Record, _ tensors: ArchiveTensors, name: String, json: String)
    throws(WorkspaceArchiveError) -> WorkspaceSnapshot.ProfileEntry
  {
    let sizes = try ModelArchive.checkedSizes(record.sizes, json: json, what: "profile '\(name)'")
    guard record.masked.count == sizes.count - 1 else {
      throw WorkspaceArchiveError(
        file: json,
        problem: .inconsistent(
          "profile '\(name)': 'masked' has \(record.masked.count) entries for \(sizes.count - 1) layers"
        ))
    }
    var masks: [Mask?] = []
    for (l, masked) in record.masked.enumerated() {
      masks.append(
        masked
          ? try MaskTensors.read(
            prefix: "masks.\(l)", nIn: sizes[l], nOut: sizes[l + 1], from: tensors) : nil)
    }
    let profile = NetworkProfile(
      spec: record.spec, masks: masks, layers: record.layers, budget: record.budget)
    return WorkspaceSnapshot.ProfileEntry(
      name: name, profile: profile, sizes: sizes, description: record.description ?? "")
  }
}
