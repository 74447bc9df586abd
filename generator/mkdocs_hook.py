"""The MkDocs hook declared in mkdocs.yml; the work is in generator.plugin.hooks."""

from generator.plugin.hooks import (  # noqa: F401  (MkDocs looks these names up)
    on_build_error,
    on_config,
    on_env,
    on_files,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_pre_build,
    on_shutdown,
    on_startup,
)
