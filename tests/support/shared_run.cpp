// The run cache: a directory per key under the test temporary directory, filled under an exclusive lock.
#include "support/shared_run.hpp"

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace i1sim::test {
namespace {

std::string key_of(const std::vector<std::string>& args, const std::string& scenario_path) {
  struct stat st {};
  ::stat(i1sim_binary().c_str(), &st);
  std::string material = fmt::format("{}|{}|{}.{}|", i1sim_binary(), st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  for (const auto& a : args)
    material += a + "|";
  material += slurp(scenario_path);
  return fmt::format("{:016x}", std::hash<std::string>{}(material));
}

/// An exclusive lock on a file for as long as it lives: one process at a time fills a cache entry.
class Locked {
public:
  explicit Locked(const std::string& path) : fd_(::open(path.c_str(), O_CREAT | O_RDWR, 0644)) {
    if (fd_ >= 0)
      ::flock(fd_, LOCK_EX);
  }
  ~Locked() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }
  Locked(const Locked&) = delete;
  Locked& operator=(const Locked&) = delete;

private:
  int fd_;
};

/// An entry unused for this long is removed. Keys include the binary's size and time, so every rebuild starts new
/// entries and the old ones are never asked for again; without this the cache grew by gigabytes on a developer's
/// machine.
constexpr auto kUnused = std::chrono::hours(48);

/// Marks an entry used now (its lock is held).
void touch(const std::filesystem::path& p) {
  std::error_code ignored;
  std::filesystem::last_write_time(p, std::filesystem::file_time_type::clock::now(), ignored);
}

/// Removes the entries unused for kUnused, each under its lock, so that none is removed while a process fills or
/// takes it. The lock files stay (empty; a lock must not vanish under a process waiting on it).
void prune(const std::filesystem::path& root) {
  std::error_code ec;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& lock_file : std::filesystem::directory_iterator(root, ec)) {
    if (lock_file.path().extension() != ".lock")
      continue;
    const std::string key = lock_file.path().stem().string();
    const std::filesystem::path dir = root / key, done = dir / ".done", text = root / (key + ".text");
    auto stale = [&](const std::filesystem::path& p) { // false when p does not exist
      std::error_code e;
      const auto t = std::filesystem::last_write_time(p, e);
      return !e && now - t > kUnused;
    };
    // A run is marked used on its .done; one cut short has none, and its directory tells its age.
    auto run_stale = [&] { return stale(done) || (!std::filesystem::exists(done, ec) && stale(dir)); };
    if (!stale(text) && !run_stale())
      continue;
    const Locked lock(lock_file.path().string());
    // Again under the lock: another process may have used it meanwhile.
    if (stale(text)) {
      std::filesystem::remove(text, ec);
      std::filesystem::remove(text.string() + ".partial", ec);
    }
    if (run_stale())
      std::filesystem::remove_all(dir, ec);
  }
}

std::filesystem::path cache_root() {
  static const std::filesystem::path root = [] {
    const std::filesystem::path r = std::filesystem::path(testing::TempDir()) / "i1sim-shared-runs";
    std::filesystem::create_directories(r);
    prune(r); // once per process
    return r;
  }();
  return root;
}

} // namespace

std::string shared_text(const std::string& name, const std::function<std::string()>& make) {
  struct stat st {};
  ::stat("/proc/self/exe", &st);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const std::string key =
      fmt::format("{:016x}", std::hash<std::string>{}(fmt::format("{}|{}|{}.{}|{}", self, st.st_size, st.st_mtim.tv_sec,
                                                                  st.st_mtim.tv_nsec, name)));
  const std::filesystem::path root = cache_root();
  const std::string path = (root / (key + ".text")).string();
  const Locked lock((root / (key + ".lock")).string());
  if (std::filesystem::exists(path)) {
    touch(path);
    return slurp(path);
  }
  std::string text = make();
  const std::string partial = path + ".partial";
  std::ofstream(partial, std::ios::binary) << text;
  std::filesystem::rename(partial, path); // complete or absent: a process killed while writing leaves no entry
  return text;
}

SharedRun shared_run(const std::vector<std::string>& args, const std::string& scenario_path) {
  const std::filesystem::path root = cache_root();
  const std::string key = key_of(args, scenario_path);
  SharedRun r;
  r.dir = (root / key).string();
  const std::string done = r.dir + "/.done";
  const Locked lock((root / (key + ".lock")).string());
  if (std::filesystem::exists(done)) {
    touch(done);
    std::ifstream in(done);
    in >> r.child.exit_code;
    r.child.err = slurp(r.dir + "/.stderr");
    r.child.out = slurp(r.dir + "/.stdout");
  } else {
    std::filesystem::remove_all(r.dir);
    std::filesystem::create_directories(r.dir);
    std::vector<std::string> argv{i1sim_binary(), "run"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--out", r.dir});
    r.child = run_child(argv, 600);
    std::ofstream(r.dir + "/.stderr") << r.child.err;
    std::ofstream(r.dir + "/.stdout") << r.child.out;
    std::ofstream(done) << r.child.exit_code; // written last: a run cut short is never reused
  }
  return r;
}

} // namespace i1sim::test
