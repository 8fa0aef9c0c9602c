import CIntrinsics
import Foundation
import Synchronization

/// Trains an MLP on a dataset with mini-batch gradient descent, resumably.
///
/// One step on a batch of B samples (letters: activations A_l are sizes[l] × B, feature-major):
///   forward   A_{l+1} = ReLU(W_l A_l + b_l) for hidden layers, Z_L = W_{L-1} A_{L-1} + b for logits
///   loss      softmax cross-entropy, dZ_L = (softmax(Z_L) − Y) / B
///   backward  dW_l = dZ_{l+1} A_lᵀ (active positions only when sparse), db_l = dZ_{l+1} 1,
///             dZ_l = (W_lᵀ dZ_{l+1}) ⊙ 1[A_l > 0]
///   update    the optimizer's per-tensor step at the scheduled learning rate.
/// The trainer owns its scratch buffers (allocated once) and mutates its own copy of the model;
/// read `model` and `state` back when `run` returns.
public final class Trainer {
  public internal(set) var model: MLP
  public internal(set) var state: TrainingState
  let data: Dataset
  let buffers: ActivationBuffers
  /// gradients[l]: dZ of layer l's output, sizes[l+1] × capacity.
  let gradients: [UnsafeMutablePointer<Float>]
  /// Loss gradients of each layer's stored weights (K or O·I values) and biases, last step.
  var weightGradients: [[Float]]
  var biasGradients: [[Float]]
  /// Transposed index of each sparse layer (nil for dense layers), kept in step with the masks.
  var transposed: [CSCIndex?]
  var labelBatch: [Int32]
  /// Things that act between the backward pass and the optimizer step (RigL, statistics).
  public var stepObservers: [any TrainingStepObserver] = []
  /// When set, every step adds its time per phase and layer to it (`psn-bench --profile`).
  public var profile: StepProfile?
  /// Whether steps gather the next batch on a helper thread while computing on one (see
  /// `gathersAhead(model:threads:)`).
  let gathersAhead: Bool
  /// Set when the spare input buffer holds the samples `aheadIndices`, gathered during the last step.
  var gatheredAhead = false
  var aheadIndices: [Int32]
  /// Threads of the step being computed: one while a helper gathers the next batch.
  var stepThreads = 1

  /// Starts a new run (`state == nil`) or continues `state` on `model`.
  public init(model: MLP, data: Dataset, config: TrainingConfig, resuming state: TrainingState? = nil)
    throws(TrainingError)
  {
    try config.validate()
    if config.maskUpdate != nil && !model.layers.contains(where: \.isSparse) {
      throw .invalidConfig("dynamic sparse training needs a sparse model: apply a profile first (e.g. profile random sparsity=0.9)")
    }
    guard model.inputCount == data.featureCount else {
      throw .mismatch("model takes \(model.inputCount) inputs but dataset '\(data.name)' has \(data.featureCount) features (build the model after loading the data)")
    }
    guard model.classCount == data.classCount else {
      throw .mismatch("model has \(model.classCount) outputs but dataset '\(data.name)' has \(data.classCount) classes")
    }
    guard data.train.count > 0 else { throw .mismatch("dataset '\(data.name)' has no training samples") }
    let st = state ?? TrainingState(config: config, model: model)
    guard st.optimizerState.count == model.layers.count,
      zip(st.optimizerState, model.layers).allSatisfy({ $0.weightM.count == $1.weightCount })
    else { throw .mismatch("saved optimizer state does not fit the model's layers") }
    // A resumed epoch's sample order indexes this training split: it must be the same size.
    guard st.order.isEmpty || (st.order.count == data.train.count && st.order.allSatisfy { $0 >= 0 && Int($0) < data.train.count }) else {
      throw .mismatch("the run was stopped on \(st.order.count) training samples but dataset '\(data.name)' has \(data.train.count) (resume it on the data it started with)")
    }
    self.model = model
    self.state = st
    self.data = data
    let capacity = min(config.batchSize, data.train.count)
    gathersAhead = Self.gathersAhead(model: model, threads: config.threads)
    buffers = ActivationBuffers(sizes: model.sizes, capacity: capacity, spareInput: gathersAhead)
    aheadIndices = []
    aheadIndices.reserveCapacity(capacity)
    gradients = model.sizes.dropFirst().map { ActivationBuffers.allocate(count: $0 * capacity) }
    weightGradients = model.layers.map { [Float](repeating: 0, count: $0.weightCount) }
    biasGradients = model.layers.map { [Float](repeating: 0, count: $0.nOut) }
    transposed = model.layers.map { $0.mask.map(CSCIndex.init) }
    labelBatch = [Int32](repeating: 0, count: capacity)
    if config.maskUpdate != nil && self.state.maskUpdates.isEmpty {
      // Update 0: the masks the run starts from, so trajectories begin at the initial profile.
      self.state.maskUpdates.append(MaskUpdateRecord(
        step: 0, dropFraction: 0,
        layers: model.layers.indices.compactMap { l in
          model.layers[l].mask.map { LayerMaskUpdate(layer: l, dropped: 0, grown: 0, regrown: 0, churn: 0, fanIns: $0.fanIns) }
        }))
    }
  }

  deinit { gradients.forEach { $0.deallocate() } }

  /// Replaces sparse layer l's mask mid-training (RigL). Weights and optimizer moments at
  /// positions active in both masks carry over; new positions start at exactly 0 with zero
  /// moments. The active count must not change (the gradient buffers keep their size).
  /// `survivors[p]` (old CSR position p) says which old weights may carry over; a connection that
  /// was dropped and grown again in the same update restarts at 0 like any new one.
  func replaceMask(_ l: Int, with newMask: Mask, survivors: [Bool]? = nil) {
    let old = model.layers[l].mask!
    precondition(newMask.nnz == old.nnz, "a mask update keeps each layer's active count")
    // carried[p_new] = p_old for positions in both masks, -1 for new ones (rows merge in order).
    var carried = [Int](repeating: -1, count: newMask.nnz)
    for j in 0..<newMask.nOut {
      var p = Int(old.rowStart[j])
      let pEnd = Int(old.rowStart[j + 1])
      for q in Int(newMask.rowStart[j])..<Int(newMask.rowStart[j + 1]) {
        let c = newMask.columns[q]
        while p < pEnd && old.columns[p] < c { p += 1 }
        if p < pEnd && old.columns[p] == c && survivors?[p] ?? true { carried[q] = p }
      }
    }
    func remap(_ a: [Float]) -> [Float] {
      a.isEmpty ? a : carried.map { $0 >= 0 ? a[$0] : 0 }
    }
    model.layers[l].setMask(newMask, weights: remap(model.layers[l].weights))
    state.optimizerState[l].weightM = remap(state.optimizerState[l].weightM)
    state.optimizerState[l].weightV = remap(state.optimizerState[l].weightV)
    transposed[l] = CSCIndex(newMask)
  }

  public var config: TrainingConfig { state.config }
  public var batchesPerEpoch: Int { (data.train.count + config.batchSize - 1) / config.batchSize }
  public var totalSteps: Int { batchesPerEpoch * config.epochs }

  /// Trains until the planned epochs are done or `callbacks.shouldStop()` answers true at a
  /// batch boundary. The model is consistent after every batch, so an interrupted run can be
  /// continued by calling `run` again (or from a saved `state`).
  @discardableResult
  public func run(_ callbacks: TrainingCallbacks = TrainingCallbacks()) throws(TrainingError)
    -> TrainingOutcome
  {
    // Denormals flushed to zero while training (restored on return): Adam's second moments and
    // late-training gradients fall below 1.2e-38, where every SIMD operation on them takes a
    // microcode assist (measured: dense training at 10 epochs ran at half its first-epoch speed).
    // Values that small change nothing a float32 network computes; XLA does the same.
    let control = psn_float_control()
    psn_set_float_control(psn_flushing_denormals(control))
    defer { psn_set_float_control(control) }
    let n = data.train.count
    let batchSize = config.batchSize
    let perEpoch = batchesPerEpoch
    gatheredAhead = false
    while !state.isFinished {
      if state.batchesDone == 0 && state.order.isEmpty {
        var order = (0..<Int32(n)).map { $0 }
        state.shuffleRandom.shuffle(&order)
        state.order = order
      }
      while state.batchesDone < perEpoch {
        if callbacks.shouldStop() {
          return .interrupted(epoch: state.epochsDone + 1, batch: state.batchesDone, of: perEpoch)
        }
        let start = state.batchesDone * batchSize
        let end = min(start + batchSize, n)
        let lr = config.schedule.rate(
          base: config.learningRate, step: state.step, totalSteps: totalSteps, stepsPerEpoch: perEpoch)
        let clock = ContinuousClock.now
        let order = state.order  // a second reference: `step` mutates `state` while reading it
        let (lossSum, correct) = order.withUnsafeBufferPointer { order in
          let next = min(end + batchSize, n)
          return step(
            indices: UnsafeBufferPointer(rebasing: order[start..<end]),
            next: end < next ? UnsafeBufferPointer(rebasing: order[end..<next]) : nil, learningRate: lr)
        }
        let seconds = (ContinuousClock.now - clock).seconds
        let b = end - start
        guard lossSum.isFinite else {
          throw .diverged(epoch: state.epochsDone + 1, batch: state.batchesDone + 1, loss: lossSum / Double(b), learningRate: lr)
        }
        state.batchesDone += 1
        state.epochLossSum += lossSum
        state.epochCorrect += correct
        state.epochSeen += b
        state.epochSeconds += seconds
        if let onBatch = callbacks.onBatch {
          let rate = Double(state.epochSeen) / max(state.epochSeconds, 1e-9)
          let samplesLeft = Double((config.epochs - state.epochsDone) * n - state.epochSeen)
          onBatch(BatchProgress(
            epoch: state.epochsDone + 1, epochs: config.epochs, batch: state.batchesDone, batches: perEpoch,
            loss: state.epochLossSum / Double(state.epochSeen),
            accuracy: Double(state.epochCorrect) / Double(state.epochSeen),
            samplesPerSecond: rate, secondsLeft: samplesLeft / rate))
        }
      }
      let record = finishEpoch(learningRate: config.schedule.rate(
        base: config.learningRate, step: max(state.step - 1, 0), totalSteps: totalSteps, stepsPerEpoch: perEpoch))
      callbacks.onEpoch?(record)
    }
    return .completed
  }

  /// Closes the epoch: evaluation (outside the timed training), the record, fresh counters.
  func finishEpoch(learningRate: Double) -> EpochRecord {
    let evaluate = config.evaluateEachEpoch || state.epochsDone + 1 == config.epochs
    let validation = evaluate ? data.validation.map { model.evaluate(features: $0.features, labels: $0.labels, threads: config.threads) } : nil
    let test = evaluate ? model.evaluate(features: data.test.features, labels: data.test.labels, threads: config.threads) : nil
    let seen = Double(max(state.epochSeen, 1))
    let record = EpochRecord(
      epoch: state.epochsDone + 1, trainLoss: state.epochLossSum / seen,
      trainAccuracy: Double(state.epochCorrect) / seen, validation: validation, test: test.flatMap { $0.count > 0 ? $0 : nil },
      learningRate: learningRate, trainSeconds: state.epochSeconds,
      samplesPerSecond: Double(state.epochSeen) / max(state.epochSeconds, 1e-9))
    state.history.append(record)
    state.epochsDone += 1
    if state.isFinished && config.collectNeuronStatistics {
      state.neuronStatistics = finishNeuronStatistics()
    }
    state.batchesDone = 0
    state.order = []
    state.epochLossSum = 0
    state.epochCorrect = 0
    state.epochSeen = 0
    state.epochSeconds = 0
    return record
  }

  /// One optimisation step on the samples `indices`; returns the summed loss and the number of
  /// correctly classified samples (both measured before the update).
  ///
  /// `next`, the samples of the following step, are made ready while this one computes: with
  /// two threads and a small network (`gathersAhead`) a helper gathers them into the spare input
  /// buffer while this thread runs the step's kernels on one; otherwise their rows are
  /// prefetched as the step goes (`RowPrefetch`) and the kernels use every thread.
  func step(indices: UnsafeBufferPointer<Int32>, next: UnsafeBufferPointer<Int32>? = nil, learningRate: Double) -> (Double, Int) {
    var timer = PhaseTimer(profile)
    if gatheredAhead && indices.elementsEqual(aheadIndices) {
      buffers.swapInputs()
    } else {
      gatherInputs(indices, threads: config.threads, into: nil)
    }
    gatheredAhead = false
    for k in 0..<indices.count { labelBatch[k] = data.train.labels[Int(indices[k])] }
    timer.mark(.gather)
    guard let next, gathersAhead, let spare = buffers.spareInput else {
      var ahead = next.map { RowPrefetch(indices: $0, slices: 2 * model.layers.count + 1) }
      return compute(batch: indices.count, learningRate: learningRate, threads: config.threads, prefetching: &ahead, timer: &timer)
    }
    // The helper takes the gather if it arrives first; this thread takes it after the step
    // otherwise (a helper late to wake skips the job: `WorkerPool.run`).
    let claimed = Atomic<Bool>(false)
    var result = (0.0, 0)
    var noPrefetch: RowPrefetch? = nil
    func part(_ index: Int) {
      if index == 0 {
        result = compute(batch: indices.count, learningRate: learningRate, threads: 1, prefetching: &noPrefetch, timer: &timer)
      }
      if !claimed.exchange(true, ordering: .relaxed) { gatherInputs(next, threads: 1, into: spare) }
    }
    // The pool is another caller's: this thread does both, one after the other.
    if !WorkerPool.shared.run(count: 2, part) { part(0) }
    aheadIndices.removeAll(keepingCapacity: true)
    aheadIndices.append(contentsOf: next)
    gatheredAhead = true
    timer.mark(.gather)  // waiting for the helper, when its gather outlasted the step
    return result
  }

  /// Copies the samples `indices` of the training split into `destination` (values[0] if nil).
  /// Reads only `let` state (the data, the buffers' pointers): a helper thread runs it while
  /// the step's thread computes.
  func gatherInputs(_ indices: UnsafeBufferPointer<Int32>, threads: Int, into destination: UnsafeMutablePointer<Float>?) {
    let inputs = data.featureCount
    if let bytes = data.train.pixelBytes {
      bytes.withUnsafeBufferPointer { p in
        buffers.gather(pixelBytes: p.baseAddress!, featureCount: inputs, indices: indices, threads: threads, into: destination)
      }
    } else {
      data.train.features.withUnsafeBufferPointer { f in
        buffers.gather(features: f.baseAddress!, featureCount: inputs, indices: indices, threads: threads, into: destination)
      }
    }
  }

  /// The step's kernels on the gathered batch: forward, loss, backward, observers, optimizer,
  /// mask update, on `threads` threads.
  private func compute(
    batch b: Int, learningRate: Double, threads: Int, prefetching ahead: inout RowPrefetch?,
    timer: inout PhaseTimer
  ) -> (Double, Int) {
    stepThreads = threads
    let last = model.layers.count - 1
    prefetch(&ahead)
    for l in 0...last {
      buffers.forward(model.layers[l], layer: l, isLast: l == last, batch: b, threads: threads)
      prefetch(&ahead)
      timer.mark(.forward, layer: l)
    }
    let (lossSum, correct) = labelBatch.withUnsafeBufferPointer { y in
      ActivationKernels.softmaxCrossEntropy(
        logits: buffers.values[last + 1], classes: model.classCount, batch: b,
        labels: y.baseAddress!, dlogits: gradients[last])
    }
    timer.mark(.loss)
    for l in stride(from: last, through: 0, by: -1) {
      let layer = model.layers[l]
      weightGradients[l].withUnsafeMutableBufferPointer { dW in
        biasGradients[l].withUnsafeMutableBufferPointer { db in
          layer.weightGradients(
            dz: gradients[l], a: buffers.values[l], batch: b, dW: dW.baseAddress!,
            db: db.baseAddress!, threads: threads)
        }
      }
      prefetch(&ahead)
      timer.mark(.weightGradient, layer: l)
      if l > 0 {
        layer.inputGradient(dz: gradients[l], batch: b, csc: transposed[l], into: gradients[l - 1], threads: threads)
        ActivationKernels.reluBackward(gradients[l - 1], output: buffers.values[l], count: layer.nIn * b)
        timer.mark(.inputGradient, layer: l)
      }
    }
    if config.collectNeuronStatistics && state.step >= statisticsWindowStart {
      accumulateNeuronStatistics(batch: b)
      timer.mark(.statistics)
    }
    var skipUpdate = false
    if !stepObservers.isEmpty {
      let view = StepView(trainer: self, batch: b)
      for o in stepObservers where o.afterBackward(view) { skipUpdate = true }
    }
    if !skipUpdate { applyOptimizer(learningRate: learningRate) }
    timer.mark(.optimizer)
    if !stepObservers.isEmpty {
      let view = StepView(trainer: self, batch: b)
      for o in stepObservers { o.afterUpdate(view) }
    }
    if let update = config.maskUpdate, update.isUpdateStep(state.step + 1, totalSteps: totalSteps) {
      updateMasks(update, step: state.step + 1, batch: b)
      timer.mark(.maskUpdate)
    }
    profile?.countStep(samples: b)
    state.step += 1
    return (lossSum, correct)
  }

  /// The next slice of the next step's sample rows, into L2 (see `RowPrefetch`).
  func prefetch(_ ahead: inout RowPrefetch?) {
    guard ahead != nil else { return }
    if let bytes = data.train.pixelBytes {
      bytes.withUnsafeBytes { ahead!.issue(rows: $0.baseAddress!, rowBytes: model.inputCount) }
    } else {
      data.train.features.withUnsafeBytes { ahead!.issue(rows: $0.baseAddress!, rowBytes: model.inputCount * 4) }
    }
  }

  /// The largest network (weights over all layers) whose steps `gathersAhead` with two threads.
  ///
  /// Splitting a step's kernels over two threads pays when they are large (dense 784-300-100-10:
  /// 1.5× one thread); a 99%-sparse step is ~100 µs of kernels a few µs each, where a second
  /// thread costs more in hand-offs than it saves (measured 0.87×), and gathering the batch was
  /// the largest single phase. There the second thread gathers the next batch instead, in
  /// parallel with the whole step. Measured in docs/performance.md.
  static let gatherAheadWeightLimit = 10_000

  static func gathersAhead(model: MLP, threads: Int) -> Bool {
    threads >= 2 && model.layers.reduce(0) { $0 + $1.weightCount } <= gatherAheadWeightLimit
  }

  func applyOptimizer(learningRate: Double) {
    let t = state.step + 1
    for l in model.layers.indices {
      state.optimizerState[l].apply(
        config.optimizer, to: &model.layers[l], weightGradients: weightGradients[l], biasGradients: biasGradients[l],
        learningRate: learningRate, t: t, threads: stepThreads)
    }
  }
}

/// What a step observer may read (and, for mask updates, change) between backward and update.
public struct StepView {
  unowned let trainer: Trainer
  /// Samples in this batch.
  public let batch: Int
  /// Global step index (0-based) of the step being taken.
  public var step: Int { trainer.state.step }
  public var model: MLP { trainer.model }
  /// Loss gradient of layer l's stored weights (CSR order when sparse).
  public func weightGradient(_ l: Int) -> [Float] { trainer.weightGradients[l] }
  public func biasGradient(_ l: Int) -> [Float] { trainer.biasGradients[l] }
  /// Activations entering layer l for this batch, sizes[l] × batch.
  public func input(_ l: Int) -> UnsafePointer<Float> { UnsafePointer(trainer.buffers.values[l]) }
  /// Loss gradient of layer l's pre-activation output, sizes[l+1] × batch.
  public func outputGradient(_ l: Int) -> UnsafePointer<Float> { UnsafePointer(trainer.gradients[l]) }
}

/// Acts inside each training step once the gradients are known (the gradient-hierarchy
/// statistics) or once the weights are updated (RigL's mask updates).
public protocol TrainingStepObserver: AnyObject {
  /// After the backward pass, before the optimizer step. Returning true skips the update.
  func afterBackward(_ step: StepView) -> Bool
  /// After the optimizer step; the batch's activations and output gradients are still readable.
  func afterUpdate(_ step: StepView)
}

extension TrainingStepObserver {
  public func afterBackward(_ step: StepView) -> Bool { false }
  public func afterUpdate(_ step: StepView) {}
}

extension Duration {
  /// The duration in seconds as a Double.
  public var seconds: Double {
    let c = components
    return Double(c.seconds) + Double(c.attoseconds) * 1e-18
  }
}
