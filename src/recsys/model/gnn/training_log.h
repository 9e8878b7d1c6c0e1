#pragma once
// Epoch bookkeeping shared by the LibTorch trainers (no torch here): the training curve
// (training_curve.json + training_curve.csv in the model folder), early stopping on
// validation Recall@20 with patience, and the per-epoch progress line. Both round-trip through
// JSON so that a checkpoint can carry them across --resume.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace recsys::model {
struct TrainContext;
}

namespace recsys::model::gnn {

struct EpochRecord {
  int epoch = 0;  // 1-based
  double loss = 0;
  std::optional<double> valid_recall;  // set on validation epochs
  double train_seconds = 0;
  double eval_seconds = 0;
};

class TrainingCurve {
 public:
  void add(const EpochRecord& record) { records_.push_back(record); }
  const std::vector<EpochRecord>& records() const { return records_; }

  nlohmann::json to_json() const;  // array of {epoch, loss, valid_recall@20?, seconds...}
  // Throws FormatError naming `source` on a malformed array.
  static TrainingCurve from_json(const nlohmann::json& j, const std::string& source);
  std::string to_csv() const;  // header epoch,loss,valid_recall@20,train_seconds,eval_seconds

  // Writes training_curve.json and training_curve.csv into context.dir and records them in
  // context.files.
  void write(TrainContext& context) const;

 private:
  std::vector<EpochRecord> records_;
};

// Keeps the best validation recall; stop() once `patience` checks in a row did not improve it.
class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}
  // Returns true when `recall` is a new best (the caller then keeps its parameters).
  bool update(int epoch, double recall);
  bool stop() const { return since_best_ >= patience_; }
  double best_recall() const { return best_recall_; }
  int best_epoch() const { return best_epoch_; }
  int since_best() const { return since_best_; }

  nlohmann::json to_json() const;
  // Restores the state saved by to_json (the patience stays the current configuration's).
  void restore(const nlohmann::json& j, const std::string& source);

 private:
  int patience_;
  double best_recall_ = -1;
  int best_epoch_ = 0;
  int since_best_ = 0;
};

// "<model> epoch 3/400: loss 0.1234, valid recall@20 0.1000 (best 0.1000 at epoch 3),
// 12.3 s + eval 0.4 s", logged through core/progress.h.
void log_epoch(const std::string& model, const EpochRecord& record, int max_epochs,
               const EarlyStopping& stopping);

}  // namespace recsys::model::gnn
