#ifndef GZEDU_TESTS_SUPPORT_CHINESE_TEXT_H_
#define GZEDU_TESTS_SUPPORT_CHINESE_TEXT_H_

// Checks that a text meant for Chinese readers says nothing in English: the
// only ASCII words it may hold are those a Chinese text names as they are
// (ids, field paths, codes, units).

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace gzedu::testing {

// The ASCII words of `text` that are not allowed in a Chinese text. A word
// is a run of ASCII letters, digits and the characters of paths and codes
// (_ . [ ] * - /). Allowed: words without letters (numbers, dates); codes in
// capitals (INVALID_ARGUMENT, STAGE_PRIMARY, SCHOOL_TYPE_*, G10, UTF-8);
// field paths and contract names (lowercase with '_', '.' or '[':
// schools[0].district_code, new_school); the words in `allowed` (the ids
// and single-word field names a test put in, units such as "m"). Anything
// else, "must", "Failed", "district" or "yuan", is English.
inline std::vector<std::string> EnglishWordsIn(const std::string& text, const std::set<std::string>& allowed) {
  std::vector<std::string> english;
  const auto word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']' || c == '*' ||
           c == '-' || c == '/';
  };
  for (size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) >= 0x80 || !word_char(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80 && word_char(text[end])) ++end;
    std::string word = text.substr(i, end - i);
    i = end;
    while (!word.empty() && (word.back() == '.' || word.back() == '-' || word.back() == '/')) word.pop_back();
    bool letters = false, lower = false, upper = false, path = false;
    for (char c : word) {
      if (std::isalpha(static_cast<unsigned char>(c))) letters = true;
      if (std::islower(static_cast<unsigned char>(c))) lower = true;
      if (std::isupper(static_cast<unsigned char>(c))) upper = true;
      if (c == '_' || c == '.' || c == '[') path = true;
    }
    if (!letters || allowed.count(word) != 0) continue;
    if (upper && !lower) continue;          // a code
    if (lower && !upper && path) continue;  // a field path or contract name
    english.push_back(word);
  }
  return english;
}

// True when `text` holds at least one CJK character (U+4E00..U+9FFF: lead
// bytes E4..E9 in UTF-8).
inline bool HasChinese(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0xE4 && c <= 0xE9) return true;
  }
  return false;
}

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_CHINESE_TEXT_H_
