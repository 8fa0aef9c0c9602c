/// Loss and accuracy of a model on a labelled set of samples.
public struct Evaluation: Sendable, Equatable, Codable {
  public var count: Int
  /// Mean softmax cross-entropy (natural log) over the samples.
  public var loss: Double
  /// Share of samples whose arg-max logit is the label.
  public var accuracy: Double
  /// Accuracy within each class (nil for a class with no sample).
  public var perClassAccuracy: [Double?]
  public var perClassCount: [Int]
}

extension MLP {
  /// Evaluates the model on `features` (sample-major) and `labels` in batches.
  public func evaluate(
    features: [Float], labels: [Int32], batchSize: Int = 1000, threads: Int = 2
  ) -> Evaluation {
    let n = labels.count
    let classes = classCount
    var lossSum = 0.0
    var correct = 0
    var classCorrect = [Int](repeating: 0, count: classes)
    var classCount = [Int](repeating: 0, count: classes)
    guard n > 0 else {
      return Evaluation(count: 0, loss: .nan, accuracy: .nan, perClassAccuracy: Array(repeating: nil, count: classes), perClassCount: classCount)
    }
    let capacity = min(batchSize, n)
    let buffers = ActivationBuffers(sizes: sizes, capacity: capacity)
    var indices = [Int32](repeating: 0, count: capacity)
    var predictions = [Int32](repeating: 0, count: capacity)
    features.withUnsafeBufferPointer { f in
      labels.withUnsafeBufferPointer { y in
        var start = 0
        while start < n {
          let b = min(capacity, n - start)
          for k in 0..<b { indices[k] = Int32(start + k) }
          indices.withUnsafeBufferPointer { ix in
            buffers.gather(features: f.baseAddress!, featureCount: inputCount, indices: UnsafeBufferPointer(rebasing: ix[0..<b]))
          }
          buffers.forward(self, batch: b, threads: threads)
          let r = predictions.withUnsafeMutableBufferPointer { pred in
            ActivationKernels.softmaxCrossEntropy(
              logits: buffers.values[sizes.count - 1], classes: classes, batch: b,
              labels: y.baseAddress! + start, dlogits: nil, predictions: pred.baseAddress!)
          }
          lossSum += r.lossSum
          correct += r.correct
          for k in 0..<b {
            let c = Int(y[start + k])
            classCount[c] += 1
            if predictions[k] == y[start + k] { classCorrect[c] += 1 }
          }
          start += b
        }
      }
    }
    return Evaluation(
      count: n, loss: lossSum / Double(n), accuracy: Double(correct) / Double(n),
      perClassAccuracy: (0..<classes).map { classCount[$0] > 0 ? Double(classCorrect[$0]) / Double(classCount[$0]) : nil },
      perClassCount: classCount)
  }
}
