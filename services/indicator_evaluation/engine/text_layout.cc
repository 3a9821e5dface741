#include "services/indicator_evaluation/engine/text_layout.h"

#include <locale.h>
#include <wchar.h>

#include <algorithm>
#include <cstring>

namespace gzedu::engine {
namespace {

// The C.UTF-8 locale, made once and never freed (it lives as long as the
// process). C.UTF-8 is part of glibc itself on Debian, so it is always
// there; if it is not, every byte counts one column.
locale_t Utf8Locale() {
  static const locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return locale;
}

}  // namespace

int DisplayWidth(std::string_view text) {
  const locale_t utf8 = Utf8Locale();
  if (utf8 == static_cast<locale_t>(0)) return static_cast<int>(text.size());
  const locale_t previous = uselocale(utf8);
  int width = 0;
  mbstate_t state;
  std::memset(&state, 0, sizeof state);
  size_t i = 0;
  while (i < text.size()) {
    wchar_t wc = 0;
    const size_t n = mbrtowc(&wc, text.data() + i, text.size() - i, &state);
    if (n == static_cast<size_t>(-1) || n == static_cast<size_t>(-2) || n == 0) {
      // An invalid or truncated sequence (or a NUL): one column per byte.
      std::memset(&state, 0, sizeof state);
      ++width;
      ++i;
      continue;
    }
    const int w = wcwidth(wc);
    width += w < 0 ? 1 : w;
    i += n;
  }
  uselocale(previous);
  return width;
}

std::string PadToWidth(std::string_view text, int width) {
  std::string out(text);
  const int missing = width - DisplayWidth(text);
  if (missing > 0) out.append(static_cast<size_t>(missing), ' ');
  return out;
}

std::string PadLeftToWidth(std::string_view text, int width) {
  const int missing = width - DisplayWidth(text);
  std::string out = missing > 0 ? std::string(static_cast<size_t>(missing), ' ') : std::string();
  out.append(text);
  return out;
}

void TextTable::SetAlign(size_t column, Align align) {
  if (align_.size() <= column) align_.resize(column + 1, Align::kLeft);
  align_[column] = align;
}

void TextTable::AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

std::string TextTable::Render() const {
  std::vector<int> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line(static_cast<size_t>(indent_), ' ');
    for (size_t c = 0; c < row.size(); ++c) {
      const bool last = c + 1 == row.size();
      const bool right = c < align_.size() && align_[c] == Align::kRight;
      if (right) {
        line += PadLeftToWidth(row[c], widths[c]);
      } else {
        line += last ? row[c] : PadToWidth(row[c], widths[c]);
      }
      if (!last) line.append(static_cast<size_t>(gap_), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace gzedu::engine
