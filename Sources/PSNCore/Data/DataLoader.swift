import Foundation

/// Loads datasets: the one entry point the shell, scripts and tests call.
public enum DataLoader {
  /// Loads `request.source`, then carves the validation split out of its training set.
  ///
  /// - Parameter environment: where `PSN_DATA` and `HOME` are read (the process environment by
  ///   default; tests pass their own).
  /// - Throws: `DataError`, whose description is the complete message for the user.
  public static func load(
    _ request: DataRequest,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(DataError) -> Dataset {
    try request.validation.validate()
    let directory = request.directory
    var data: Dataset
    switch request.source {
    case .fashion:
      data = try IDXDataset.fashion.load(directory: directory, environment: environment)
    case .mnist:
      data = try IDXDataset.mnist.load(directory: directory, environment: environment)
    case .emnist(let split):
      data = try IDXDataset.emnist(split).load(directory: directory, environment: environment)
    case .covtype:
      data = try Covtype.load(directory: directory, environment: environment)
    case .synthetic(let spec):
      data = try Synthetic.generate(spec, seed: request.seed)
    }
    try data.carveValidation(request.validation, seed: request.seed)
    if request.source == .covtype { Covtype.standardize(&data) }
    return data
  }
}
