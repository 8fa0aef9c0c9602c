import Foundation
import GRDB

/// Maps `RunRecord` to the rows of ResultsSchema and back: the one place that knows which field
/// goes in which column.
enum RunRows {
  // MARK: - Writing

  static func insert(_ r: RunRecord, into db: Database) throws {
    let uuid = r.uuid.uuidString.lowercased()
    try db.cachedStatement(sql: """
      INSERT INTO runs (uuid, name, method, dataset, model, sizes, parameters, sparsity, profile,
        profile_spec, seed, config, status, psn_version, started_at, recorded_at, wall_seconds,
        epochs_planned, epochs_done, steps, train_loss, train_accuracy, val_loss, val_accuracy, test_loss,
        test_accuracy, samples_per_second)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """
    ).execute(arguments: StatementArguments([
      uuid, r.name, r.method.rawValue, r.dataset, r.model, r.sizesDescription, r.parameters,
      real(r.sparsity), r.profile, r.profileSpecJSON, Int64(exactly: r.seed), r.configJSON,
      r.status.rawValue, r.psnVersion, ResultsTimestamp.format(r.startedAt),
      ResultsTimestamp.format(r.recordedAt), real(r.wallSeconds), r.epochsPlanned, r.epochsDone,
      r.steps,
    ] + metrics(r.final) + [real(r.samplesPerSecond)]))
    for (key, value) in r.tags.sorted(by: { $0.key < $1.key }) {
      try db.cachedStatement(sql: "INSERT INTO run_tags (run, key, value, number) VALUES (?, ?, ?, ?)")
        .execute(arguments: [uuid, key, value, real(number(value))])
    }
  }

  static func insertDetails(_ r: RunRecord, into db: Database) throws {
    let uuid = r.uuid.uuidString.lowercased()
    let epoch = try db.cachedStatement(sql: """
      INSERT INTO epochs (run, epoch, train_loss, train_accuracy, val_loss, val_accuracy,
        test_loss, test_accuracy, learning_rate, seconds, samples_per_second)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """)
    for e in r.epochs {
      try epoch.execute(arguments: StatementArguments(
        [uuid, e.epoch] + metrics(e.metrics) + [real(e.learningRate), real(e.seconds), real(e.samplesPerSecond)]))
    }
    let layer = try db.cachedStatement(sql: """
      INSERT INTO layers (run, layer, n_in, n_out, sparse, weights, density, fanin_mean, fanin_std,
        fanin_cv, fanin_gini, fanin_min, fanin_max, lognormal_mu, lognormal_sigma, hub_fraction,
        gradient_mean, gradient_concentration, fanin_gradient_r, equilibrium_converged,
        equilibrium_step)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """)
    for l in r.layers {
      try layer.execute(arguments: StatementArguments([
        uuid, l.layer, l.nIn, l.nOut, l.isSparse, l.weights, real(l.density), real(l.fanInMean),
        real(l.fanInStd), real(l.fanInCV), real(l.fanInGini), l.fanInMin, l.fanInMax,
        real(l.lognormalMu), real(l.lognormalSigma), real(l.hubFraction), real(l.gradientMean),
        real(l.gradientConcentration), real(l.fanInGradientR), l.equilibriumConverged,
        l.equilibriumStep,
      ] as [(any DatabaseValueConvertible)?]))
    }
    let update = try db.cachedStatement(sql: """
      INSERT INTO mask_updates (run, update_index, step, layer, drop_fraction, dropped, grown,
        regrown, churn, fanin_mean, fanin_cv, fanin_gini, lognormal_mu, lognormal_sigma, ks)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """)
    for u in r.maskUpdates {
      try update.execute(arguments: StatementArguments([
        uuid, u.update, u.step, u.layer, real(u.dropFraction), u.dropped, u.grown, u.regrown,
        real(u.churn), real(u.fanInMean), real(u.fanInCV), real(u.fanInGini), real(u.lognormalMu),
        real(u.lognormalSigma), real(u.ksToPrevious),
      ] as [(any DatabaseValueConvertible)?]))
    }
  }

  /// train/val/test loss and accuracy, in the column order of runs and epochs.
  private static func metrics(_ m: RunRecord.Metrics) -> [(any DatabaseValueConvertible)?] {
    [m.trainLoss, m.trainAccuracy, m.validationLoss, m.validationAccuracy, m.testLoss, m.testAccuracy]
      .map(real)
  }

  /// A REAL column's value: NULL for nil and for a value that is not finite.
  private static func real(_ x: Double?) -> DatabaseValue {
    guard let x, x.isFinite else { return .null }
    return x.databaseValue
  }

  /// A tag value read as a decimal number (`1.5`, `-3`, `1e-3`), for numeric comparisons in
  /// queries; nil for anything else, including `nan`, `inf` and hexadecimal.
  static func number(_ text: String) -> Double? {
    guard !text.isEmpty, text.allSatisfy({ "0123456789+-.eE".contains($0) }),
      let x = Double(text), x.isFinite
    else { return nil }
    return x
  }

  // MARK: - Reading

  /// The record stored under `uuid` with the requested details; nil when there is none.
  static func fetch(_ uuid: String, details: RunDetails, from db: Database) throws -> RunRecord? {
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE uuid = ?", arguments: [uuid]) else {
      return nil
    }
    var record = try run(row)
    record.tags = try ResultsDatabase.tags(of: uuid, db)
    if details.contains(.epochs) {
      record.epochs = try Row.fetchAll(
        db, sql: "SELECT * FROM epochs WHERE run = ? ORDER BY epoch", arguments: [uuid]
      ).map(epoch)
    }
    if details.contains(.layers) {
      record.layers = try Row.fetchAll(
        db, sql: "SELECT * FROM layers WHERE run = ? ORDER BY layer", arguments: [uuid]
      ).map(layer)
    }
    if details.contains(.maskUpdates) {
      record.maskUpdates = try Row.fetchAll(
        db, sql: "SELECT * FROM mask_updates WHERE run = ? ORDER BY update_index, layer", arguments: [uuid]
      ).map(maskUpdate)
    }
    return record
  }

  private static func run(_ row: Row) throws -> RunRecord {
    let uuidText: String = try row.decode(forColumn: "uuid")
    func bad(_ what: String) -> RowDecodingFailure { RowDecodingFailure(uuid: uuidText, what: what) }
    guard let uuid = UUID(uuidString: uuidText) else { throw bad("uuid") }
    let methodText: String = try row.decode(forColumn: "method")
    guard let method = TrainingMethod(rawValue: methodText) else { throw bad("method '\(methodText)'") }
    let statusText: String = try row.decode(forColumn: "status")
    guard let status = RunStatus(rawValue: statusText) else { throw bad("status '\(statusText)'") }
    let sizesText: String = try row.decode(forColumn: "sizes")
    let sizes = sizesText.split(separator: "-").compactMap { Int($0) }
    guard !sizes.isEmpty, sizes.count == sizesText.split(separator: "-").count else { throw bad("sizes '\(sizesText)'") }
    func date(_ column: String) throws -> Date {
      let text: String = try row.decode(forColumn: column)
      guard let d = ResultsTimestamp.parse(text) else { throw bad("\(column) '\(text)'") }
      return d
    }
    let config: String = try row.decode(forColumn: "config")
    let storedSeed: Int64? = try row.decode(forColumn: "seed")
    // Seeds of 2^63 and above do not fit SQLite's INTEGER and are stored as NULL; the config has them.
    let seed = try storedSeed.map { UInt64(bitPattern: $0) }
      ?? JSONDecoder().decode(TrainingConfig.self, from: Data(config.utf8)).seed
    return RunRecord(
      uuid: uuid, name: try row.decode(forColumn: "name"), method: method,
      dataset: try row.decode(forColumn: "dataset"), model: try row.decode(forColumn: "model"),
      sizes: sizes, parameters: try row.decode(forColumn: "parameters"),
      sparsity: try double(row, "sparsity"), profile: try row.decode(forColumn: "profile"),
      profileSpecJSON: try row.decode(forColumn: "profile_spec"), seed: seed, configJSON: config,
      status: status, psnVersion: try row.decode(forColumn: "psn_version"),
      startedAt: try date("started_at"), recordedAt: try date("recorded_at"),
      wallSeconds: try double(row, "wall_seconds"), epochsPlanned: try row.decode(forColumn: "epochs_planned"),
      epochsDone: try row.decode(forColumn: "epochs_done"), steps: try row.decode(forColumn: "steps"),
      final: try metrics(row), samplesPerSecond: try row.decode(forColumn: "samples_per_second"))
  }

  private static func epoch(_ row: Row) throws -> RunRecord.Epoch {
    RunRecord.Epoch(
      epoch: try row.decode(forColumn: "epoch"), metrics: try metrics(row),
      learningRate: try double(row, "learning_rate"), seconds: try double(row, "seconds"),
      samplesPerSecond: try double(row, "samples_per_second"))
  }

  private static func layer(_ row: Row) throws -> RunRecord.Layer {
    RunRecord.Layer(
      layer: try row.decode(forColumn: "layer"), nIn: try row.decode(forColumn: "n_in"),
      nOut: try row.decode(forColumn: "n_out"), isSparse: try row.decode(forColumn: "sparse"),
      weights: try row.decode(forColumn: "weights"), density: try double(row, "density"),
      fanInMean: try double(row, "fanin_mean"), fanInStd: try double(row, "fanin_std"),
      fanInCV: try double(row, "fanin_cv"), fanInGini: try double(row, "fanin_gini"),
      fanInMin: try row.decode(forColumn: "fanin_min"), fanInMax: try row.decode(forColumn: "fanin_max"),
      lognormalMu: try row.decode(forColumn: "lognormal_mu"),
      lognormalSigma: try row.decode(forColumn: "lognormal_sigma"),
      hubFraction: try row.decode(forColumn: "hub_fraction"),
      gradientMean: try row.decode(forColumn: "gradient_mean"),
      gradientConcentration: try row.decode(forColumn: "gradient_concentration"),
      fanInGradientR: try row.decode(forColumn: "fanin_gradient_r"),
      equilibriumConverged: try row.decode(forColumn: "equilibrium_converged"),
      equilibriumStep: try row.decode(forColumn: "equilibrium_step"))
  }

  private static func maskUpdate(_ row: Row) throws -> RunRecord.MaskUpdate {
    RunRecord.MaskUpdate(
      update: try row.decode(forColumn: "update_index"), step: try row.decode(forColumn: "step"),
      layer: try row.decode(forColumn: "layer"), dropFraction: try double(row, "drop_fraction"),
      dropped: try row.decode(forColumn: "dropped"), grown: try row.decode(forColumn: "grown"),
      regrown: try row.decode(forColumn: "regrown"), churn: try double(row, "churn"),
      fanInMean: try double(row, "fanin_mean"), fanInCV: try double(row, "fanin_cv"),
      fanInGini: try double(row, "fanin_gini"), lognormalMu: try row.decode(forColumn: "lognormal_mu"),
      lognormalSigma: try row.decode(forColumn: "lognormal_sigma"),
      ksToPrevious: try row.decode(forColumn: "ks"))
  }

  private static func metrics(_ row: Row) throws -> RunRecord.Metrics {
    RunRecord.Metrics(
      trainLoss: try row.decode(forColumn: "train_loss"),
      trainAccuracy: try row.decode(forColumn: "train_accuracy"),
      validationLoss: try row.decode(forColumn: "val_loss"),
      validationAccuracy: try row.decode(forColumn: "val_accuracy"),
      testLoss: try row.decode(forColumn: "test_loss"),
      testAccuracy: try row.decode(forColumn: "test_accuracy"))
  }

  /// A REAL column the record holds as a plain Double: NULL (a non-finite value) reads as NaN.
  private static func double(_ row: Row, _ column: String) throws -> Double {
    (try row.decode(Double?.self, forColumn: column)) ?? .nan
  }
}

/// A stored row whose value psn cannot read back (edited by hand, or damaged).
struct RowDecodingFailure: Error, CustomStringConvertible {
  var uuid: String
  var what: String
  var description: String { "run \(uuid) has an unreadable \(what)" }
}

/// Which child rows a query loads with each run (tags always come along).
public struct RunDetails: OptionSet, Sendable {
  public let rawValue: Int
  public init(rawValue: Int) { self.rawValue = rawValue }
  public static let epochs = RunDetails(rawValue: 1)
  public static let layers = RunDetails(rawValue: 2)
  public static let maskUpdates = RunDetails(rawValue: 4)
  public static let all: RunDetails = [.epochs, .layers, .maskUpdates]
}
