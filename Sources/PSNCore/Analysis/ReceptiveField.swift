/// What one neuron listens to: its incoming weights W_{j,i} laid out on a grid of its inputs
/// (docs/analysis.md "Receptive fields").
///
/// For a first-layer neuron of image data the grid is the image (28×28 for Fashion-MNIST): cell
/// (r, c) holds the weight from pixel r·cols + c. For any other layer the inputs are the previous
/// layer's units, placed in index order on a near-square grid of cols = ⌈√I⌉ columns and
/// rows = ⌈I / cols⌉ rows (unit i at row i / cols, column i mod cols); cells past the last unit
/// stay empty. A cell is nil when the neuron has no connection from that input.
public struct ReceptiveField: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  /// I, the number of inputs of the layer.
  public let inputCount: Int
  /// Whether the grid is an image's pixel layout (rather than units in index order).
  public let isImage: Bool
  /// rows·cols cells, row-major: the weight from input r·cols + c, nil where not connected.
  public let weights: [Float?]

  /// Neuron j of `layer`; `image` is the data's pixel layout, used when rows·cols = I.
  public init(layer: Layer, neuron j: Int, image: Dataset.ImageShape? = nil) {
    let n = layer.nIn
    if let image, image.rows * image.cols == n {
      (rows, cols, isImage) = (image.rows, image.cols, true)
    } else {
      let c = Self.squareColumns(n)
      (rows, cols, isImage) = ((n + c - 1) / c, c, false)
    }
    inputCount = n
    var cells = [Float?](repeating: nil, count: rows * cols)
    let (inputs, w) = layer.incoming(j)
    for (i, v) in zip(inputs, w) { cells[i] = v }
    weights = cells
  }

  /// ⌈√n⌉, exactly (no floating-point square root near perfect squares).
  static func squareColumns(_ n: Int) -> Int {
    var c = 1
    while c * c < n { c += 1 }
    return c
  }

  /// The weight from input i (nil when not connected).
  public subscript(input i: Int) -> Float? { weights[i] }

  /// Connected inputs, and how many of their weights are > 0 and < 0.
  public var connected: Int { weights.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
  public var positive: Int { weights.reduce(0) { $0 + (($1 ?? 0) > 0 ? 1 : 0) } }
  public var negative: Int { weights.reduce(0) { $0 + (($1 ?? 0) < 0 ? 1 : 0) } }

  /// max |w| over the connected inputs (0 when none).
  public var maxMagnitude: Float { weights.reduce(0) { Swift.max($0, abs($1 ?? 0)) } }

  /// Smallest and largest weight (nil when nothing is connected).
  public var range: (min: Float, max: Float)? {
    let w = weights.compactMap { $0 }
    guard let lo = w.min(), let hi = w.max() else { return nil }
    return (lo, hi)
  }

  /// The `count` connected inputs of largest |w|, ties to the lower input.
  public func strongest(_ count: Int) -> [(input: Int, weight: Float)] {
    let connected = weights.indices.filter { weights[$0] != nil }
    let order = connected.sorted {
      let (a, b) = (abs(weights[$0]!), abs(weights[$1]!))
      return a != b ? a > b : $0 < $1
    }
    return order.prefix(Swift.max(0, count)).map { ($0, weights[$0]!) }
  }

  /// |w| / max|w| per cell in [0, 1], nil where not connected: what the terminal heat map shades.
  public var magnitudes: [Double?] {
    let m = Double(maxMagnitude)
    return weights.map { w in w.map { m > 0 ? Double(abs($0)) / m : 0 } }
  }
}
