//! Components shared by every area: layout, prices, ratings, images, grids, paging, errors,
//! forms and the notices shown after them.

mod admin_frame;
mod bar_chart;
mod breadcrumb;
mod category_menu;
pub mod form;
mod icons;
mod image;
mod layout;
mod notice;
mod pager;
mod pagination;
mod price;
mod product_card;
mod product_grid;
mod rating;
mod rendered_cards;
mod status;
mod table_scroll;

pub use admin_frame::{ADMIN_SECTIONS, AdminFrame};
pub use bar_chart::{Bar, BarChart};
pub use breadcrumb::Breadcrumb;
pub use category_menu::CategoryMenu;
pub use form::{
    After, Confirm, Field, FormAction, FormError, FormState, FormSubmission, Keyed, PostedFiles, act,
    act_then, input_id, posted_files, redirect, submitted_form,
};
pub use icons::{AccountIcon, CartIcon};
pub use image::{IMAGE_WIDTHS, ResponsiveImage, image_src};
pub use layout::Layout;
pub use notice::{Notice, PageNotice};
pub use pager::{is_current, pager};
pub use pagination::Pagination;
pub use price::PriceRange;
pub use product_card::ProductCardView;
pub use product_grid::ProductGrid;
pub use rating::{RatingSummaryView, Stars};
pub use status::{ErrorPage, Forbidden, NotFound, ShowError, page_body, set_status};
pub use table_scroll::TableScroll;
