# Build one man page from scdoc parts (cmake -P):
#   -DOUT=<page>  -DSCD=<the concatenated .scd, kept for the checks>
#   -DPARTS=a.scd|b.scd|...  (in this order)
#   -DBIN=<mediadash>  optional: its `config scdoc` output (the key list of
#                      the config table) goes in before the last part
#   -DSCDOC=<scdoc>
string(REPLACE "|" ";" PARTS "${PARTS}")
list(LENGTH PARTS n)
math(EXPR last "${n} - 1")
file(WRITE ${SCD} "")
set(i 0)
foreach(part ${PARTS})
  if(BIN AND i EQUAL last)
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
              ${BIN} --db ${SCD}.unused.db config scdoc
      OUTPUT_VARIABLE keys RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${BIN} config scdoc failed (${rc})")
    endif()
    file(APPEND ${SCD} "${keys}")
  endif()
  file(READ ${part} text)
  file(APPEND ${SCD} "${text}")
  math(EXPR i "${i} + 1")
endforeach()
execute_process(COMMAND ${SCDOC} INPUT_FILE ${SCD} OUTPUT_FILE ${OUT}.tmp
                ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "scdoc ${SCD}: ${err}")
endif()
file(RENAME ${OUT}.tmp ${OUT})
