#include "recsys/model/gnn/training_log.h"

#include <fmt/format.h>

#include "recsys/core/error.h"
#include "recsys/core/progress.h"
#include "recsys/io/atomic_file.h"
#include "recsys/model/model_files.h"
#include "recsys/model/model_registry.h"

namespace recsys::model::gnn {

nlohmann::json TrainingCurve::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : records_) {
    nlohmann::json row = {{"epoch", r.epoch},
                          {"loss", r.loss},
                          {"train_seconds", r.train_seconds},
                          {"eval_seconds", r.eval_seconds}};
    if (r.valid_recall) row["valid_recall@20"] = *r.valid_recall;
    out.push_back(std::move(row));
  }
  return out;
}

TrainingCurve TrainingCurve::from_json(const nlohmann::json& j, const std::string& source) {
  if (!j.is_array()) throw FormatError(fmt::format("{}: the training curve is not an array", source));
  TrainingCurve curve;
  try {
    for (const auto& row : j) {
      EpochRecord r;
      r.epoch = row.at("epoch").get<int>();
      r.loss = row.at("loss").get<double>();
      r.train_seconds = row.at("train_seconds").get<double>();
      r.eval_seconds = row.at("eval_seconds").get<double>();
      if (row.contains("valid_recall@20")) r.valid_recall = row["valid_recall@20"].get<double>();
      curve.add(r);
    }
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: malformed training curve entry ({})", source, e.what()));
  }
  return curve;
}

std::string TrainingCurve::to_csv() const {
  std::string out = "epoch,loss,valid_recall@20,train_seconds,eval_seconds\n";
  for (const auto& r : records_)
    out += fmt::format("{},{:.6g},{},{:.3f},{:.3f}\n", r.epoch, r.loss,
                       r.valid_recall ? fmt::format("{:.6f}", *r.valid_recall) : "",
                       r.train_seconds, r.eval_seconds);
  return out;
}

void TrainingCurve::write(TrainContext& c) const {
  write_json_file(c.dir / "training_curve.json", to_json());
  const std::string csv = to_csv();
  io::AtomicFile file(c.dir / "training_curve.csv");
  file.write(csv.data(), csv.size());
  file.commit();
  c.files["training_curve.json"] = {
      {"format",
       "JSON array of {epoch, loss, valid_recall@20 (validation epochs), train_seconds, "
       "eval_seconds}"}};
  c.files["training_curve.csv"] = {
      {"format", "CSV epoch,loss,valid_recall@20,train_seconds,eval_seconds"}};
}

bool EarlyStopping::update(int epoch, double recall) {
  if (recall > best_recall_) {
    best_recall_ = recall;
    best_epoch_ = epoch;
    since_best_ = 0;
    return true;
  }
  ++since_best_;
  return false;
}

nlohmann::json EarlyStopping::to_json() const {
  return {{"best_recall", best_recall_}, {"best_epoch", best_epoch_}, {"since_best", since_best_}};
}

void EarlyStopping::restore(const nlohmann::json& j, const std::string& source) {
  try {
    best_recall_ = j.at("best_recall").get<double>();
    best_epoch_ = j.at("best_epoch").get<int>();
    since_best_ = j.at("since_best").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: malformed early-stopping state ({})", source, e.what()));
  }
}

void log_epoch(const std::string& model, const EpochRecord& r, int max_epochs,
               const EarlyStopping& s) {
  std::string text = fmt::format("{} epoch {}/{}: loss {:.4f}", model, r.epoch, max_epochs, r.loss);
  if (r.valid_recall)
    text += fmt::format(", valid recall@20 {:.4f} (best {:.4f} at epoch {})", *r.valid_recall,
                        s.best_recall(), s.best_epoch());
  text += fmt::format(", {:.2f} s", r.train_seconds);
  if (r.valid_recall) text += fmt::format(" + eval {:.2f} s", r.eval_seconds);
  log_info(text);
}

}  // namespace recsys::model::gnn
