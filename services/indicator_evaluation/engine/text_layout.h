#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_TEXT_LAYOUT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_TEXT_LAYOUT_H_

// Laying out UTF-8 text in a terminal's columns, where a Chinese character
// takes two columns and a Latin letter one.

#include <string>
#include <string_view>
#include <vector>

namespace gzedu::engine {

// The number of terminal columns `text` (UTF-8) takes, as glibc's wcwidth()
// counts them in the C.UTF-8 locale (East Asian wide and full-width
// characters two, combining marks zero). Invalid UTF-8 bytes and control
// characters count one column each, so a width is never negative.
// Thread-safe: the locale is switched for the calling thread only.
int DisplayWidth(std::string_view text);

// `text` followed by spaces up to `width` display columns (unchanged when
// already as wide or wider).
std::string PadToWidth(std::string_view text, int width);

// `text` preceded by spaces up to `width` display columns.
std::string PadLeftToWidth(std::string_view text, int width);

// A table of text cells laid out in columns by display width. Not
// thread-safe; owns its cells.
class TextTable {
 public:
  enum class Align { kLeft, kRight };

  // `indent` spaces start every line; columns are separated by `gap`
  // spaces. The last column is never padded.
  explicit TextTable(int indent = 2, int gap = 2) : indent_(indent), gap_(gap) {}

  // Sets how column `column` is aligned (left by default).
  void SetAlign(size_t column, Align align);
  // Appends a row; rows may have fewer cells than others.
  void AddRow(std::vector<std::string> cells);
  // The rows, one line each, every line ending in '\n'.
  std::string Render() const;

 private:
  int indent_;
  int gap_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_TEXT_LAYOUT_H_
