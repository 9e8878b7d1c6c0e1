#include "recsys/index/vector_index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>
#include <fmt/format.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>

#include "recsys/core/error.h"
#include "recsys/index/exact_search.h"
#include "recsys/index/hnsw_search.h"
#include "recsys/io/atomic_file.h"

namespace recsys::index {
namespace {

namespace fs = std::filesystem;
using FaissId = faiss::Index::idx_t;

constexpr char kMagic[8] = {'R', 'S', 'V', 'I', 'N', 'D', 'E', 'X'};
constexpr uint32_t kFileVersion = 1;

int64_t round_up16(int64_t n) {
  return (n + 15) / 16 * 16;
}

// FAISS parallelises inside one search call (an OpenMP region per call); search() is called
// from the caller's own threads, so each call runs on its thread alone. omp_set_num_threads
// only changes the calling thread's setting, and it is put back afterwards.
class SingleThreadedOmp {
 public:
  SingleThreadedOmp() : previous_(omp_get_max_threads()) {
    if (previous_ != 1) omp_set_num_threads(1);
  }
  ~SingleThreadedOmp() {
    if (previous_ != 1) omp_set_num_threads(previous_);
  }
  SingleThreadedOmp(const SingleThreadedOmp&) = delete;
  SingleThreadedOmp& operator=(const SingleThreadedOmp&) = delete;

 private:
  int previous_;
};

// FAISS's view of the caller's allowed[] bytes.
struct AllowedRows : faiss::IDSelector {
  explicit AllowedRows(const uint8_t* allowed) : allowed(allowed) {}
  bool is_member(FaissId id) const override { return allowed[id] != 0; }
  const uint8_t* allowed;
};

void check_params(const IndexParams& p) {
  auto bad = [](const char* name, auto value, const char* expected) {
    throw ConfigError(fmt::format("index parameter {} = {}: expected {}", name, value, expected));
  };
  if (p.hnsw_m < 2 || p.hnsw_m > 256) bad("hnsw_m", p.hnsw_m, "2..256");
  if (p.ef_construction < 1) bad("ef_construction", p.ef_construction, ">= 1");
  if (p.ef_search < 1) bad("ef_search", p.ef_search, ">= 1");
  if (p.nlist < 0) bad("nlist", p.nlist, ">= 0 (0: automatic)");
  if (p.nprobe < 1) bad("nprobe", p.nprobe, ">= 1");
  if (!(p.exact_share >= 0 && p.exact_share <= 1)) bad("exact_share", p.exact_share, "0..1");
  if (p.exact_min_rows < 0) bad("exact_min_rows", p.exact_min_rows, ">= 0");
}

nlohmann::json params_json(const IndexParams& p) {
  return {{"kind", to_string(p.kind)},
          {"hnsw_m", p.hnsw_m},
          {"ef_construction", p.ef_construction},
          {"ef_search", p.ef_search},
          {"nlist", p.nlist},
          {"nprobe", p.nprobe},
          {"exact_share", p.exact_share},
          {"exact_min_rows", p.exact_min_rows}};
}

IndexParams params_from_json(const nlohmann::json& j) {
  IndexParams p;
  p.kind = parse_index_kind(j.at("kind").get<std::string>());
  p.hnsw_m = j.at("hnsw_m").get<int>();
  p.ef_construction = j.at("ef_construction").get<int>();
  p.ef_search = j.at("ef_search").get<int>();
  p.nlist = j.at("nlist").get<int>();
  p.nprobe = j.at("nprobe").get<int>();
  p.exact_share = j.at("exact_share").get<double>();
  p.exact_min_rows = j.at("exact_min_rows").get<int64_t>();
  return p;
}

}  // namespace

std::string to_string(IndexKind kind) {
  switch (kind) {
    case IndexKind::kFlat:
      return "flat";
    case IndexKind::kHnsw:
      return "hnsw";
    case IndexKind::kIvf:
      return "ivf";
  }
  return "?";
}

IndexKind parse_index_kind(const std::string& name) {
  if (name == "flat") return IndexKind::kFlat;
  if (name == "hnsw") return IndexKind::kHnsw;
  if (name == "ivf") return IndexKind::kIvf;
  throw ConfigError(
      fmt::format("index type \"{}\": expected one of flat, hnsw, ivf (or auto)", name));
}

IndexParams auto_params(int64_t rows, int dim) {
  // Measured with bench/index_bench on hetero embeddings (docs/decisions.md, "Retrieval"): an
  // exact scan of up to kFlatMaxRows rows is about as fast as the HNSW walk, and exact. Above,
  // HNSW (efConstruction 200); Recall@20 >= 0.99 needs ef 64 at 10k places (0.999) and
  // ef 128 at 100k (0.993; ef 96 gives 0.989). Up to 20k rows M 16 keeps that recall (0.999 at
  // ef 64) with half the neighbours scored per step: p50 24 us against 29 us for M 32.
  constexpr int64_t kFlatMaxRows = 5000;
  constexpr int64_t kSmallEfMaxRows = 20000;
  (void)dim;
  IndexParams p;
  p.kind = rows <= kFlatMaxRows ? IndexKind::kFlat : IndexKind::kHnsw;
  p.ef_search = rows <= kSmallEfMaxRows ? 64 : 128;
  p.hnsw_m = rows <= kSmallEfMaxRows ? 16 : 32;
  return p;
}

struct VectorIndex::Impl {
  IndexParams params;
  int64_t rows = 0;
  int dim = 0;
  int stored_dim = 0;  // columns up to the last one that is non-zero in some row
  RowMatrix matrix;    // rows x stride (round_up16(dim)), zero padded; width = round_up16(stored)
  std::vector<float> storage;
  std::unique_ptr<faiss::Index> ann;  // flat: IndexFlatIP; hnsw: IndexHNSWFlat; ivf: IndexIVFFlat

  void set_matrix_view() {
    matrix.data = storage.data();
    matrix.rows = rows;
    matrix.stride = round_up16(dim);
    matrix.width = static_cast<int>(round_up16(stored_dim));
  }

  // The query widened to matrix.width floats (zeros past dim), in a per-thread buffer.
  const float* padded_query(const float* query) const {
    thread_local std::vector<float> buffer;
    buffer.assign(static_cast<size_t>(matrix.width), 0.0f);
    std::memcpy(buffer.data(), query, sizeof(float) * std::min(matrix.width, dim));
    return buffer.data();
  }

  // The ANN structure's top-k (hnsw / ivf) at the given breadth, among the allowed rows
  // (nullptr: all). HNSW: our own walk of FAISS's graph (hnsw_search.h); IVF: FAISS with an
  // IDSelector.
  std::vector<Hit> ann_search(const float* query, int k, int breadth,
                              const uint8_t* allowed) const {
    if (params.kind == IndexKind::kHnsw)
      return hnsw_search(static_cast<const faiss::IndexHNSW&>(*ann).hnsw, matrix, query, k, breadth,
                         allowed);
    std::vector<float> distances(static_cast<size_t>(k));
    std::vector<FaissId> labels(static_cast<size_t>(k), -1);
    AllowedRows selector(allowed);
    faiss::SearchParametersIVF sp;
    sp.nprobe = static_cast<size_t>(breadth);
    sp.sel = allowed ? &selector : nullptr;
    {
      SingleThreadedOmp single;
      ann->search(1, query, k, distances.data(), labels.data(), &sp);
    }
    std::vector<Hit> hits;
    hits.reserve(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i)
      if (labels[i] >= 0 && labels[i] < rows)
        hits.push_back({static_cast<int32_t>(labels[i]), distances[i]});
    return hits;
  }

  int breadth() const { return params.kind == IndexKind::kHnsw ? params.ef_search : params.nprobe; }
  int max_breadth() const {
    if (params.kind == IndexKind::kHnsw) return static_cast<int>(std::min<int64_t>(rows, 1 << 20));
    return params.nlist;
  }

  void build_matrix_from_ann(const fs::path& file);
};

VectorIndex::VectorIndex() : impl_(std::make_unique<Impl>()) {}
VectorIndex::~VectorIndex() = default;
VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;

VectorIndex VectorIndex::build(const float* vectors, int64_t rows, int dim,
                               const IndexParams& params) {
  check_params(params);
  if (dim < 1) throw InvalidArgument(fmt::format("vector index: dim {} (expected >= 1)", dim));
  if (rows < 0 || rows > std::numeric_limits<int32_t>::max())
    throw InvalidArgument(fmt::format("vector index: {} rows (expected 0..2^31-1)", rows));
  if (params.kind != IndexKind::kFlat && rows == 0)
    throw ConfigError(
        fmt::format("index type {} needs at least one vector (0 rows given); use flat",
                    to_string(params.kind)));
  VectorIndex out;
  Impl& m = *out.impl_;
  m.params = params;
  m.rows = rows;
  m.dim = dim;
  // Trailing columns that are zero in every row carry no inner product: the scans and the ANN
  // structure skip them (hetero place vectors are [place part, zeros for the social part]).
  int stored = 1;
  for (int64_t r = 0; r < rows; ++r)
    for (int c = dim - 1; c >= stored; --c)
      if (vectors[r * dim + c] != 0.0f) {
        stored = c + 1;
        break;
      }
  m.stored_dim = stored;
  const int64_t stride = round_up16(dim);
  m.storage.assign(static_cast<size_t>(rows * stride), 0.0f);
  std::vector<float> compact(static_cast<size_t>(rows * stored));
  for (int64_t r = 0; r < rows; ++r) {
    std::memcpy(m.storage.data() + r * stride, vectors + r * dim, sizeof(float) * dim);
    std::memcpy(compact.data() + r * stored, vectors + r * dim, sizeof(float) * stored);
  }
  m.set_matrix_view();

  try {
    switch (params.kind) {
      case IndexKind::kFlat: {
        auto flat = std::make_unique<faiss::IndexFlatIP>(stored);
        flat->add(rows, compact.data());
        m.ann = std::move(flat);
        break;
      }
      case IndexKind::kHnsw: {
        auto hnsw = std::make_unique<faiss::IndexHNSWFlat>(stored, params.hnsw_m,
                                                           faiss::METRIC_INNER_PRODUCT);
        hnsw->hnsw.efConstruction = params.ef_construction;
        hnsw->hnsw.efSearch = params.ef_search;
        hnsw->add(rows, compact.data());
        m.ann = std::move(hnsw);
        break;
      }
      case IndexKind::kIvf: {
        int nlist = params.nlist;
        if (nlist == 0) {
          // About 4 sqrt(rows) lists, at most one per 39 rows (k-means wants that many points
          // per centroid), at least one.
          nlist = static_cast<int>(std::lround(4.0 * std::sqrt(static_cast<double>(rows))));
          nlist = static_cast<int>(std::clamp<int64_t>(nlist, 1, std::max<int64_t>(1, rows / 39)));
        }
        if (nlist > rows)
          throw ConfigError(fmt::format(
              "index parameter nlist = {}: more lists than the {} vectors", nlist, rows));
        m.params.nlist = nlist;
        m.params.nprobe = std::min(params.nprobe, nlist);
        auto quantizer = new faiss::IndexFlatIP(stored);
        auto ivf = std::make_unique<faiss::IndexIVFFlat>(quantizer, stored, nlist,
                                                         faiss::METRIC_INNER_PRODUCT);
        ivf->own_fields = true;
        ivf->cp.seed = 1234;
        ivf->train(rows, compact.data());
        ivf->add(rows, compact.data());
        ivf->nprobe = static_cast<size_t>(m.params.nprobe);
        m.ann = std::move(ivf);
        break;
      }
    }
  } catch (const faiss::FaissException& e) {
    throw InvalidArgument(fmt::format("FAISS could not build the {} index over {} x {} vectors: {}",
                                      to_string(params.kind), rows, stored, e.what()));
  }
  return out;
}

void VectorIndex::Impl::build_matrix_from_ann(const fs::path& file) {
  const int64_t stride = round_up16(dim);
  storage.assign(static_cast<size_t>(rows * stride), 0.0f);
  auto copy_rows = [&](const float* src) {
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(storage.data() + r * stride, src + r * stored_dim, sizeof(float) * stored_dim);
  };
  if (auto* flat = dynamic_cast<faiss::IndexFlat*>(ann.get())) {
    copy_rows(flat->get_xb());
  } else if (auto* hnsw = dynamic_cast<faiss::IndexHNSWFlat*>(ann.get())) {
    auto* store = dynamic_cast<faiss::IndexFlat*>(hnsw->storage);
    if (!store)
      throw FormatError(fmt::format("{}: HNSW index without flat storage", file.string()));
    copy_rows(store->get_xb());
  } else if (auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(ann.get())) {
    std::vector<uint8_t> seen(static_cast<size_t>(rows), 0);
    const faiss::InvertedLists* lists = ivf->invlists;
    for (size_t l = 0; l < lists->nlist; ++l) {
      const size_t n = lists->list_size(l);
      if (n == 0) continue;
      faiss::InvertedLists::ScopedCodes codes(lists, l);
      faiss::InvertedLists::ScopedIds ids(lists, l);
      const auto* vectors = reinterpret_cast<const float*>(codes.get());
      for (size_t i = 0; i < n; ++i) {
        const FaissId id = ids[i];
        if (id < 0 || id >= rows || seen[id])
          throw FormatError(
              fmt::format("{}: IVF list {} holds row id {} (expected each of 0..{} once)",
                          file.string(), l, id, rows - 1));
        seen[id] = 1;
        std::memcpy(storage.data() + id * stride, vectors + i * stored_dim,
                    sizeof(float) * stored_dim);
      }
    }
    if (std::find(seen.begin(), seen.end(), 0) != seen.end())
      throw FormatError(fmt::format("{}: the IVF lists miss some rows", file.string()));
  } else {
    throw FormatError(fmt::format("{}: unexpected FAISS index type", file.string()));
  }
  set_matrix_view();
}

void VectorIndex::save(const fs::path& file) const {
  const Impl& m = *impl_;
  nlohmann::json header = params_json(m.params);
  header["rows"] = m.rows;
  header["dim"] = m.dim;
  header["stored_dim"] = m.stored_dim;
  const std::string text = header.dump();
  faiss::VectorIOWriter writer;
  try {
    faiss::write_index(m.ann.get(), &writer);
  } catch (const faiss::FaissException& e) {
    throw IoError(fmt::format("cannot serialise the index for {}: {}", file.string(), e.what()));
  }
  io::AtomicFile out(file);
  const auto length = static_cast<uint32_t>(text.size());
  out.write(kMagic, sizeof kMagic);
  out.write(&kFileVersion, sizeof kFileVersion);
  out.write(&length, sizeof length);
  out.write(text.data(), text.size());
  out.write(writer.data.data(), writer.data.size());
  out.commit();
}

VectorIndex VectorIndex::load(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot open {}", file.string()));
  faiss::VectorIOReader reader;
  in.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(in.tellg());
  in.seekg(0);
  reader.data.resize(size);
  if (size > 0 &&
      !in.read(reinterpret_cast<char*>(reader.data.data()), static_cast<std::streamsize>(size)))
    throw IoError(fmt::format("cannot read {}", file.string()));
  const auto& bytes = reader.data;
  const size_t fixed = sizeof kMagic + 2 * sizeof(uint32_t);
  if (size < fixed || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw FormatError(fmt::format("{}: not a recsys vector index (bad magic)", file.string()));
  uint32_t version = 0, length = 0;
  std::memcpy(&version, bytes.data() + sizeof kMagic, sizeof version);
  std::memcpy(&length, bytes.data() + sizeof kMagic + sizeof version, sizeof length);
  if (version != kFileVersion)
    throw FormatError(fmt::format("{}: vector index version {} (this program reads {})",
                                  file.string(), version, kFileVersion));
  if (length > size - fixed) throw FormatError(fmt::format("{}: truncated header", file.string()));
  VectorIndex out;
  Impl& m = *out.impl_;
  try {
    const auto header =
        nlohmann::json::parse(bytes.begin() + fixed, bytes.begin() + fixed + length);
    m.params = params_from_json(header);
    m.rows = header.at("rows").get<int64_t>();
    m.dim = header.at("dim").get<int>();
    m.stored_dim = header.at("stored_dim").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: bad header ({})", file.string(), e.what()));
  } catch (const ConfigError& e) {
    throw FormatError(fmt::format("{}: bad header ({})", file.string(), e.what()));
  }
  if (m.dim < 1 || m.stored_dim < 1 || m.stored_dim > m.dim || m.rows < 0)
    throw FormatError(fmt::format("{}: bad header (rows {}, dim {}, stored_dim {})", file.string(),
                                  m.rows, m.dim, m.stored_dim));
  reader.rp = fixed + length;
  try {
    m.ann.reset(faiss::read_index(&reader));
  } catch (const faiss::FaissException& e) {
    throw FormatError(fmt::format("{}: not a readable FAISS index ({})", file.string(), e.what()));
  }
  if (m.ann->ntotal != m.rows || m.ann->d != m.stored_dim)
    throw FormatError(fmt::format("{}: FAISS index holds {} x {} vectors, the header says {} x {}",
                                  file.string(), m.ann->ntotal, m.ann->d, m.rows, m.stored_dim));
  const bool kind_ok =
      (m.params.kind == IndexKind::kFlat && dynamic_cast<faiss::IndexFlatIP*>(m.ann.get())) ||
      (m.params.kind == IndexKind::kHnsw && dynamic_cast<faiss::IndexHNSWFlat*>(m.ann.get())) ||
      (m.params.kind == IndexKind::kIvf && dynamic_cast<faiss::IndexIVFFlat*>(m.ann.get()));
  if (!kind_ok || m.ann->metric_type != faiss::METRIC_INNER_PRODUCT)
    throw FormatError(fmt::format("{}: the FAISS index is not an inner-product {} index",
                                  file.string(), to_string(m.params.kind)));
  m.build_matrix_from_ann(file);
  return out;
}

int64_t VectorIndex::rows() const {
  return impl_->rows;
}
int VectorIndex::dim() const {
  return impl_->dim;
}
const IndexParams& VectorIndex::params() const {
  return impl_->params;
}

void VectorIndex::set_search_breadth(int ef_search, int nprobe) {
  if (ef_search < 1)
    throw ConfigError(fmt::format("index parameter ef_search = {}: expected >= 1", ef_search));
  if (nprobe < 1)
    throw ConfigError(fmt::format("index parameter nprobe = {}: expected >= 1", nprobe));
  impl_->params.ef_search = ef_search;
  impl_->params.nprobe =
      impl_->params.kind == IndexKind::kIvf ? std::min(nprobe, impl_->params.nlist) : nprobe;
}

void VectorIndex::set_exact_limits(double exact_share, int64_t exact_min_rows) {
  IndexParams p = impl_->params;
  p.exact_share = exact_share;
  p.exact_min_rows = exact_min_rows;
  check_params(p);
  impl_->params = p;
}

const float* VectorIndex::vector(int32_t row) const {
  if (row < 0 || row >= impl_->rows)
    throw InvalidArgument(
        fmt::format("vector index: row {} out of range 0..{}", row, impl_->rows - 1));
  return impl_->storage.data() + row * impl_->matrix.stride;
}

std::vector<Hit> VectorIndex::search_rows(const float* query, int k, const int32_t* rows,
                                          int64_t n) const {
  const Impl& m = *impl_;
  for (int64_t i = 0; i < n; ++i)
    if (rows[i] < 0 || rows[i] >= m.rows)
      throw InvalidArgument(
          fmt::format("vector index: row {} out of range 0..{}", rows[i], m.rows - 1));
  return exact_top_k(m.matrix, m.padded_query(query), k, rows, n);
}

std::vector<Hit> VectorIndex::search(const float* query, int k, const uint8_t* allowed,
                                     int64_t allowed_count) const {
  const Impl& m = *impl_;
  if (k <= 0 || m.rows == 0) return {};
  const float* q = m.padded_query(query);
  if (!allowed) {
    if (m.params.kind == IndexKind::kFlat) return exact_top_k(m.matrix, q, k);
    const int kk = static_cast<int>(std::min<int64_t>(k, m.rows));
    const int limit = std::max(m.max_breadth(), 1);
    int breadth = std::min(m.breadth(), limit);
    std::vector<Hit> hits = m.ann_search(q, kk, breadth, nullptr);
    // The graph can come back short (an HNSW entry region smaller than k): widen, then scan.
    while (static_cast<int>(hits.size()) < kk) {
      if (breadth >= limit) return exact_top_k(m.matrix, q, k);
      breadth = static_cast<int>(std::min<int64_t>(limit, int64_t{breadth} * 2));
      hits = m.ann_search(q, kk, breadth, nullptr);
    }
    return hits;
  }
  if (allowed_count < 0)
    allowed_count = std::count_if(allowed, allowed + m.rows, [](uint8_t a) { return a != 0; });
  if (allowed_count == 0) return {};
  const int64_t exact_limit =
      std::max<int64_t>(m.params.exact_min_rows,
                        static_cast<int64_t>(m.params.exact_share * static_cast<double>(m.rows)));
  if (m.params.kind == IndexKind::kFlat || allowed_count <= exact_limit)
    return exact_top_k_allowed(m.matrix, q, k, allowed);

  // The ANN structure with a selector. A filter that keeps a share s of the rows leaves about
  // s of every neighbourhood, so the breadth grows as 1/s (up to 8x); a result that is still
  // short (or, defensively, names a disallowed row) widens the search again, and after that the
  // allowed rows are scanned exactly.
  const int kk = static_cast<int>(std::min<int64_t>(k, allowed_count));
  const double share = static_cast<double>(allowed_count) / static_cast<double>(m.rows);
  const int limit = std::max(m.max_breadth(), 1);
  int breadth = static_cast<int>(
      std::min<double>(limit, std::ceil(m.breadth() * std::min(8.0, 1.0 / share))));
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::vector<Hit> hits = m.ann_search(q, kk, breadth, allowed);
    std::erase_if(hits, [&](const Hit& h) { return !allowed[h.row]; });
    if (static_cast<int>(hits.size()) >= kk) return hits;
    if (breadth >= limit) break;
    breadth = static_cast<int>(std::min<int64_t>(limit, int64_t{breadth} * 2));
  }
  return exact_top_k_allowed(m.matrix, q, k, allowed);
}

}  // namespace recsys::index
