/// Building a profile for one layer: validate the layer and budget, fix the shape parameter
/// (given, default, or solved for `cv=`), allocate integer fan-ins, place them, select inputs.
extension ProfileSpec {
  /// How far the achieved CV may be from the target before `cv=` is refused.
  public static let cvTolerance = 0.02

  /// The number of connections a layer keeps at `sparsity`: round((1 − s)·I·O), raised to O so
  /// that every neuron keeps at least one input (at 99.9% sparsity a 784→300 layer keeps 300, not
  /// 235).
  public static func budget(sparsity: Double, nIn: Int, nOut: Int) throws(ProfileError) -> Int {
    guard nIn >= 1, nOut >= 1 else { throw .invalidLayer(nIn: nIn, nOut: nOut) }
    guard sparsity.isFinite, sparsity >= 0, sparsity < 1 else {
      throw .sparsityOutOfRange(sparsity)
    }
    let kept = Int(((1 - sparsity) * Double(nIn) * Double(nOut)).rounded())
    return min(max(kept, nOut), nIn * nOut)
  }

  /// The fan-in of every neuron of an n_in → n_out layer with exactly `budget` connections.
  ///
  /// `seed` and `layer` matter only where randomness enters: `placement=shuffled` and the `random`
  /// family. Same spec, layer, budget, seed and layer index give the same fan-ins.
  public func fanIns(
    nIn: Int, nOut: Int, budget: Int, seed: UInt64 = 0, layer: Int = 0
  ) throws(ProfileError) -> LayerProfile {
    try validate(nIn: nIn, nOut: nOut, budget: budget)
    switch family {
    case .dense:
      return profile(nIn, nOut, [Int](repeating: nIn, count: nOut), [:])
    case .random:
      let mask = randomMask(nIn: nIn, nOut: nOut, budget: budget, seed: seed, layer: layer)
      return profile(nIn, nOut, mask.fanIns, [:])
    default:
      let (byPosition, parameters) = try shapedFanIns(nIn: nIn, nOut: nOut, budget: budget)
      var k = byPosition
      if placement == .shuffled {
        var rng = PSNRandom(seed: seed, stream: "profile.placement.\(layer)")
        rng.shuffle(&k)
      }
      return profile(nIn, nOut, k, parameters)
    }
  }

  /// The layer's mask and profile. Inputs are drawn from the stream `profile.inputs.<layer>` of
  /// `seed` (or strided, without randomness): same seed and spec give the same mask, bit for bit.
  public func mask(
    nIn: Int, nOut: Int, budget: Int, seed: UInt64, layer: Int
  ) throws(ProfileError) -> (mask: Mask, profile: LayerProfile) {
    let profile = try fanIns(nIn: nIn, nOut: nOut, budget: budget, seed: seed, layer: layer)
    switch family {
    case .dense:
      return (Mask.dense(nIn: nIn, nOut: nOut), profile)
    case .random:
      return (randomMask(nIn: nIn, nOut: nOut, budget: budget, seed: seed, layer: layer), profile)
    default:
      switch inputs {
      case .random:
        var rng = PSNRandom(seed: seed, stream: "profile.inputs.\(layer)")
        return (Mask.randomInputs(nIn: nIn, fanIns: profile.fanIns, rng: &rng), profile)
      case .strided:
        return (Mask.stridedInputs(nIn: nIn, fanIns: profile.fanIns), profile)
      }
    }
  }

  /// Smallest and largest CV this family reaches at this layer and budget, over its shape
  /// parameter's span with the other parameters as set (a single value for families without a
  /// shape parameter).
  public func reachableCV(
    nIn: Int, nOut: Int, budget: Int
  ) throws(ProfileError) -> ClosedRange<Double> {
    try validate(nIn: nIn, nOut: nOut, budget: budget)
    let single: Double
    switch family {
    case .dense:
      single = 0
    case .random:
      single = FanInStatistics.cv(of: randomMask(nIn: nIn, nOut: nOut, budget: budget).fanIns)
    default:
      if let solver = try makeSolver(nIn: nIn, nOut: nOut, budget: budget) {
        return solver.reachable()
      }
      single = FanInStatistics.cv(of: Self.evenFanIns(nIn: nIn, nOut: nOut, budget: budget))
    }
    return single...single
  }

  // MARK: - Steps

  private func validate(nIn: Int, nOut: Int, budget: Int) throws(ProfileError) {
    guard nIn >= 1, nOut >= 1 else { throw .invalidLayer(nIn: nIn, nOut: nOut) }
    guard budget >= nOut, budget <= nIn * nOut else {
      throw .budgetOutOfRange(budget: budget, nIn: nIn, nOut: nOut)
    }
    if family == .dense, budget != nIn * nOut {
      throw .denseBudget(budget: budget, nIn: nIn, nOut: nOut)
    }
  }

  private func profile(
    _ nIn: Int, _ nOut: Int, _ k: [Int], _ parameters: [String: Double]
  ) -> LayerProfile {
    LayerProfile(
      family: family, nIn: nIn, nOut: nOut, budget: k.reduce(0, +), fanIns: k,
      achievedCV: FanInStatistics.cv(of: k), targetCV: cv, parameters: parameters)
  }

  private func randomMask(
    nIn: Int, nOut: Int, budget: Int, seed: UInt64 = 0, layer: Int = 0
  ) -> Mask {
    var rng = PSNRandom(seed: seed, stream: "profile.random.\(layer)")
    return Mask.random(nIn: nIn, nOut: nOut, nnz: budget, rng: &rng)
  }

  /// The sampler and search span for the shape parameter; nil for `constant`.
  private func makeSolver(nIn: Int, nOut: Int, budget: Int) throws(ProfileError) -> CVSolver? {
    let sampler = try ShapeSampler(
      family: family, fixed: resolvedParameters, nOut: nOut, expression: parsedExpression)
    return family.solveSpan.map { CVSolver(sampler: sampler, span: $0, nIn: nIn, budget: budget) }
  }

  /// The `constant` profile: every neuron ⌊B/O⌋ or ⌈B/O⌉, the extra units on the first neurons.
  private static func evenFanIns(nIn: Int, nOut: Int, budget: Int) -> [Int] {
    FanInAllocation.fanIns(logShape: [Double](repeating: 0, count: nOut), nIn: nIn, budget: budget)
  }

  /// Fan-ins by position (sorted placement) for a shaped family, and the parameters used.
  private func shapedFanIns(
    nIn: Int, nOut: Int, budget: Int
  ) throws(ProfileError) -> (fanIns: [Int], parameters: [String: Double]) {
    var parameters = resolvedParameters
    // Nothing goes below the CV of the most even integer fan-ins, so cv=0 (or any cv below that
    // floor) means "as even as integers allow".
    let goal = cv.map { max($0, FanInAllocation.evenCV(nOut: nOut, budget: budget)) }
    guard let solver = try makeSolver(nIn: nIn, nOut: nOut, budget: budget),
      let shape = family.shapeParameter
    else {
      let k = Self.evenFanIns(nIn: nIn, nOut: nOut, budget: budget)
      let achieved = FanInStatistics.cv(of: k)
      if let goal { try check(achieved, goal, reachable: achieved...achieved, nIn, nOut, budget) }
      return (k, parameters)
    }
    guard let goal else {
      return (solver.fanIns(theta: parameters[shape.name] ?? shape.defaultValue), parameters)
    }
    if family == .expr, solver.sampler.isConstant,
      abs(goal - FanInStatistics.cv(of: solver.fanIns(theta: 1))) > Self.cvTolerance
    {
      throw .expressionValue(
        "the expression '\(expression ?? "")' is constant over the neurons, so no exponent"
          + " gives cv=\(ProfileMath.echo(cv ?? goal)) (make it depend on x)")
    }
    let (best, reachable) = solver.solve(target: goal)
    try check(best.cv, goal, reachable: reachable, nIn, nOut, budget)
    parameters[shape.name] = best.theta
    return (best.fanIns, parameters)
  }

  /// Refuses `cv=` when the best achieved CV is further than `cvTolerance` from `goal`.
  private func check(
    _ achieved: Double, _ goal: Double, reachable: ClosedRange<Double>, _ nIn: Int, _ nOut: Int,
    _ budget: Int
  ) throws(ProfileError) {
    guard abs(achieved - goal) > Self.cvTolerance, let asked = cv else { return }
    let maximum = FanInStatistics.cv(
      of: FanInAllocation.mostUnequalFanIns(nIn: nIn, nOut: nOut, budget: budget))
    throw .cvUnreachable(
      CVRefusal(
        family: family, asked: asked, reachable: reachable, closest: achieved, nIn: nIn,
        nOut: nOut, budget: budget, layerMaximum: maximum,
        alternatives: asked > maximum
          ? [] : alternatives(reaching: asked, nIn: nIn, nOut: nOut, budget: budget)))
  }

  /// Up to two other families that reach `target` here with their default secondary parameters,
  /// in the order a user would try them (computed only for the error message).
  private func alternatives(reaching target: Double, nIn: Int, nOut: Int, budget: Int)
    -> [ProfileFamily]
  {
    let order: [ProfileFamily] = [
      .lognormal, .powerlaw, .step, .hyperbolic, .exponential, .power, .gaussian, .cosine,
      .sigmoid, .linear,
    ]
    var found: [ProfileFamily] = []
    for other in order where other != family && found.count < 2 {
      guard let spec = try? ProfileSpec(family: other),
        let range = try? spec.reachableCV(nIn: nIn, nOut: nOut, budget: budget)
      else { continue }
      let tolerance = Self.cvTolerance
      if range.lowerBound - tolerance <= target, target <= range.upperBound + tolerance {
        found.append(other)
      }
    }
    return found
  }
}
